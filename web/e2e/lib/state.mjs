// What one story leaves for the later ones.

/** What the resident filed in the first part of the story. @type {{ id: string; number: string }} */
export const story = { id: '', number: '' };
