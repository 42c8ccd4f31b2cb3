import type { ruDuplicates } from './ru.duplicates';

// English texts of duplicates; the same keys as ru.duplicates.ts.
export const enDuplicates: Record<keyof typeof ruDuplicates, string> = {
  'similar.title': 'Similar open complaints about this building',
  'similar.hint': 'If your problem is already reported, join it: you will hear how the work goes and when it closes.',
  'similar.item': '{number} · {category} · {status} · filed {date}',
  'similar.join': 'Join',
  'similar.joinLabel': 'Join complaint {number}',
  'similar.joined': 'You joined complaint {number}. Followers: {count}.',
  'similar.alreadyJoined': 'You already follow complaint {number}.',
  'similar.clerkNeedsPhone': "To join the applicant, enter their phone and tick their consent.",
  'duplicates.title': 'Linked complaints',
  'duplicates.duplicateOf': 'Duplicate of',
  'duplicates.linked': 'Duplicates of this complaint',
  'duplicates.followers': 'Followers: {count}',
  'action.reject.original': 'Original number',
  'action.reject.originalHint': 'The number of the complaint this one duplicates, e.g. СУР-2026-000120.',
  'action.reject.originalRequired': 'Enter the original number.',
  'action.reject.duplicateOpen': 'Duplicate…',
  'action.reject.duplicateDialog': 'Reject as a duplicate',
  'action.reject.duplicateSubmit': 'Link and reject',
  'action.reject.cancel': 'Cancel',
};
