// Персональные данные (152-ФЗ): экран «Мои данные».
export const ruPrivacy = {
  'nav.resident.myData': 'Мои данные',
  'myData.title': 'Мои данные',
  'myData.lead':
    'Здесь можно получить всё, что сервис хранит о вас (ст. 14 152-ФЗ), отозвать согласие на обработку или попросить удалить данные.',
  'myData.downloadTitle': 'Получить копию',
  'myData.downloadJson': 'Скачать JSON',
  'myData.downloadHtml': 'Скачать страницу для печати',
  'myData.eraseTitle': 'Отозвать согласие или удалить данные',
  'myData.eraseLead':
    'Учётная запись будет закрыта, а из ваших жалоб удалены имя, телефон, квартира, тексты, комментарии и вложения. Номер, категория, адрес дома, даты и результат жалоб сохранятся.',
  'myData.ground': 'Основание',
  'myData.ground.consent_withdrawn': 'Отзываю согласие на обработку персональных данных',
  'myData.ground.erasure_request': 'Прошу удалить мои персональные данные',
  'myData.confirmWords': 'УДАЛИТЬ МОИ ДАННЫЕ',
  'myData.confirmLabel': 'Для подтверждения введите «{words}»',
  'myData.confirmHint': 'Это действие нельзя отменить.',
  'myData.erase': 'Удалить мои данные',
  'myData.keptTitle': 'Сохранено до закрытия жалобы',
  'myData.closed': 'Учётная запись закрыта. Спасибо, что пользовались сервисом.',
} satisfies Record<string, string>;
