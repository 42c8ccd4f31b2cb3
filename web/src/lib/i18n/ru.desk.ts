// Russian texts of the dispatch desk (issue 16): the company picker, the live board, the session
// across tabs; en.desk.ts has the same keys.
export const ruDesk = {
  'company.picker.hint': 'Начните вводить название, затем выберите компанию стрелками и Enter.',
  'company.picker.listLabel': 'Найденные организации',
  'company.picker.searching': 'Ищем организации…',
  'company.picker.none': 'Организация не найдена.',
  'company.picker.count': 'Найдено организаций: {n}. Выберите стрелками вверх и вниз.',
  'company.picker.chosen': 'Выбрано: {name}',
  'company.picker.clear': 'Сбросить выбор',
  'company.picker.retired': '{name} (не работает)',

  'live.newItems': 'Новых и изменённых: {n}. Показать',
  'live.newItemsLabel': 'Обновления списка',
} satisfies Record<string, string>;
