// Russian texts of the register of inspection acts (акты проверки).
export const ruActs = {
  'nav.registers.acts': 'Реестр актов',
  'registers.acts.title': 'Реестр актов проверки',
  'registers.acts.lead': 'Акты проверок жилищного контроля: дата, обращение, управляющая компания, выявлены ли нарушения; у каждого акта — печатный документ.',
  'registers.acts.totals': 'Всего: {count}, с нарушениями: {violations}',
  'registers.acts.violation': 'Нарушения',
  'registers.acts.anyViolation': 'Любые',
  'registers.acts.violation.true': 'Выявлены',
  'registers.acts.violation.false': 'Не выявлены',
  'registers.acts.findings': 'Результаты проверки',
  'registers.acts.inspector': 'Инспектор',
  'registers.acts.pdfOf': 'акта {number}',
  'registers.acts.noCompany': 'не назначена',
};
