import type { ruAudit } from './ru.audit';

// English texts of the administrator's audit log screen and the phone reveal; the same keys as ru.audit.ts.
export const enAudit: Record<keyof typeof ruAudit, string> = {
  'nav.admin.auditLog': 'Audit log',

  'audit.title': 'Audit log',
  'audit.lead':
    "Who opened residents' personal data, when and why, and the changes to registries and accounts (152-ФЗ). Entries are never deleted or changed.",
  'audit.entries': 'Entries',
  'audit.at': 'When',
  'audit.actor': 'Who',
  'audit.action': 'Action',
  'audit.complaint': 'Complaint',
  'audit.reason': 'Reason',
  'audit.gone': 'account deleted',
  'audit.anyone': 'All staff',
  'audit.anyAction': 'All actions',
  'audit.from': 'From',
  'audit.to': 'To',
  'audit.apply': 'Show',
  'audit.reset': 'Reset',
  'audit.csv': 'Download CSV',
  'audit.csvHint': 'CSV for Excel: UTF-8, separated by ";", the same filters, times in UTC.',
  'audit.empty': 'No entries.',
  'audit.onlyThisComplaint': "only this complaint's entries",
  'audit.complaintFilter': 'Only complaint {number}.',
  'audit.clearComplaint': 'All complaints',
  'audit.action.reveal_phone': 'Phone revealed',
  'audit.action.read_applicant': "Applicant's data opened",
  'audit.action.export_history': 'History exported',
  'audit.action.purge_test_data': 'Test data purged',
  'audit.action.user_created': 'User created',
  'audit.action.user_deactivated': 'User deactivated',
  'audit.action.api_key_created': 'API key issued',
  'audit.action.api_key_revoked': 'API key revoked',
  'audit.action.organisation_created': 'Organisation added',
  'audit.action.building_created': 'Building added',
  'audit.action.category_created': 'Category added',

  'history.exportHint': 'A signed extract of the history for a case file: the JSON verifies with dispatch verify-export; print the printable page to PDF from the browser.',
  'history.exportJson': 'Download the signed history (JSON)',
  'history.exportPrint': 'Printable page',
  'history.exportPdf': 'Printable PDF',

  'reveal.reason': 'Why you need the number',
  'reveal.defaultReason': 'Verification call',
  'reveal.hint': 'The reason goes into the audit log (152-ФЗ): 5 to 300 characters.',
};
