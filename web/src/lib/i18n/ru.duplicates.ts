// Russian texts of duplicates (issue 16): suggestions while filing, joining, the dispatcher's link
// to the original; en.duplicates.ts has the same keys.
export const ruDuplicates = {
  'similar.title': 'Похожие открытые жалобы по этому дому',
  'similar.hint': 'Если ваша проблема уже описана, присоединитесь: вы узнаете о ходе работ и о закрытии жалобы.',
  'similar.item': '{number} · {category} · {status} · подана {date}',
  'similar.join': 'Присоединиться',
  'similar.joinLabel': 'Присоединиться к жалобе {number}',
  'similar.joined': 'Вы присоединились к жалобе {number}. Подписчиков: {count}.',
  'similar.alreadyJoined': 'Вы уже следите за жалобой {number}.',
  'similar.clerkNeedsPhone': 'Чтобы присоединить заявителя, укажите его телефон и отметьте согласие.',
  'duplicates.title': 'Связанные жалобы',
  'duplicates.duplicateOf': 'Дубликат жалобы',
  'duplicates.linked': 'Дубликаты этой жалобы',
  'duplicates.followers': 'Следят за жалобой: {count}',
  'action.reject.original': 'Номер оригинала',
  'action.reject.originalHint': 'Номер жалобы, дубликатом которой является эта, например СУР-2026-000120.',
  'action.reject.originalRequired': 'Укажите номер оригинала.',
  'action.reject.duplicateOpen': 'Дубликат…',
  'action.reject.duplicateDialog': 'Отклонить как дубликат',
  'action.reject.duplicateSubmit': 'Связать и отклонить',
  'action.reject.cancel': 'Отмена',
};
