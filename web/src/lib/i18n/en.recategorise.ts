import type { ruRecategorise } from './ru.recategorise';

// English texts of the category correction and of the management change's choice; the same keys
// as ru.recategorise.ts.
export const enRecategorise: Record<keyof typeof ruRecategorise, string> = {
  'action.recategorise.title': 'Change the category',
  'action.recategorise.text': 'Now: “{current}”. The execution deadline is recomputed under the new category from now; the management company is notified.',
  'action.recategorise.category': 'New category',
  'action.recategorise.choose': 'Choose a category',
  'action.recategorise.required': 'Choose the new category.',
  'action.recategorise.reason': 'Reason for the change',
  'action.recategorise.submit': 'Change the category',
  'event.recategorise': 'Category changed',
  'webhooks.event.complaint.recategorised': 'Category changed by the dispatcher',
  'admin.management.openComplaints': 'Open complaints of the building',
  'admin.management.openComplaints.move': 'Hand them to the new company',
  'admin.management.openComplaints.keep': 'Leave them with the previous company',
  'admin.management.moved': 'Open complaints handed to the new company: {n}.',
};
