// Russian texts of the category correction and of the management change's choice (issue 16);
// en.recategorise.ts has the same keys.
export const ruRecategorise = {
  'action.recategorise.title': 'Сменить категорию',
  'action.recategorise.text': 'Сейчас: «{current}». Срок исполнения будет пересчитан по новой категории с текущего момента; УК получит уведомление.',
  'action.recategorise.category': 'Новая категория',
  'action.recategorise.choose': 'Выберите категорию',
  'action.recategorise.required': 'Выберите новую категорию.',
  'action.recategorise.reason': 'Причина смены категории',
  'action.recategorise.submit': 'Сменить категорию',
  'event.recategorise': 'Категория изменена',
  'webhooks.event.complaint.recategorised': 'Категория изменена диспетчером',
  'admin.management.openComplaints': 'Открытые жалобы дома',
  'admin.management.openComplaints.move': 'Передать новой УК',
  'admin.management.openComplaints.keep': 'Оставить прежней УК',
  'admin.management.moved': 'Передано новой УК открытых жалоб: {n}.',
} satisfies Record<string, string>;
