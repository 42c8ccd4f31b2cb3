// Russian texts of the legal clocks (issue 15): the complaint's clocks and the board's filter;
// en.clocks.ts has the same keys.
export const ruClocks = {
  'clocks.title': 'Сроки по закону',
  'clocks.clock': 'Срок',
  'clocks.basis': 'Основание',
  'clocks.due': 'Истекает',
  'clocks.state': 'Состояние',
  'clocks.metAt': 'выполнен {at}',
  'clocks.missedAt': 'нарушен {at}',
  'clocks.round': 'круг {round}',
  'clocks.none': 'Сроков нет.',

  'clock.localise': 'Локализация аварии',
  'clock.check': 'Проверка качества услуги',
  'clock.answer': 'Ответ управляющей компании',
  'clock.fix': 'Устранение',
  'clock.city_answer': 'Ответ города (59-ФЗ)',

  'clockState.running': 'идёт',
  'clockState.paused': 'на паузе',
  'clockState.met': 'выполнен в срок',
  'clockState.missed': 'нарушен',
  'clockState.stopped': 'остановлен',

  'board.clock': 'Срок по закону',
  'board.clockState': 'Состояние срока',
} satisfies Record<string, string>;
