import type { ruDesk } from './ru.desk';

// English texts of the dispatch desk; the same keys as ru.desk.ts.
export const enDesk: Record<keyof typeof ruDesk, string> = {
  'company.picker.hint': 'Start typing the name, then pick the company with the arrow keys and Enter.',
  'company.picker.listLabel': 'Matching organisations',
  'company.picker.searching': 'Searching organisations…',
  'company.picker.none': 'No such organisation.',
  'company.picker.count': 'Organisations found: {n}. Use the up and down arrows to choose.',
  'company.picker.chosen': 'Chosen: {name}',
  'company.picker.clear': 'Clear the choice',
  'company.picker.retired': '{name} (retired)',

  'live.newItems': 'New and changed: {n}. Show',
  'live.newItemsLabel': 'List updates',
};
