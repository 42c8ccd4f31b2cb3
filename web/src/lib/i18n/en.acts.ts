import type { ruActs } from './ru.acts';

// English texts of the register of inspection acts (same keys as ru.acts.ts).
export const enActs: Record<keyof typeof ruActs, string> = {
  'nav.registers.acts': 'Acts register',
  'registers.acts.title': 'Register of inspection acts',
  'registers.acts.lead': "The housing inspection's acts: date, complaint, management company and whether a violation was found; each act has its printed document.",
  'registers.acts.totals': 'Total: {count}, with violations: {violations}',
  'registers.acts.violation': 'Violations',
  'registers.acts.anyViolation': 'Any',
  'registers.acts.violation.true': 'Found',
  'registers.acts.violation.false': 'Not found',
  'registers.acts.findings': 'Findings',
  'registers.acts.inspector': 'Inspector',
  'registers.acts.pdfOf': 'of act {number}',
  'registers.acts.noCompany': 'not assigned',
};
