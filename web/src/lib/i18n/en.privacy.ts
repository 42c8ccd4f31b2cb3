import type { ruPrivacy } from './ru.privacy';

// English texts of the "My data" screen; the same keys as ru.privacy.ts.
export const enPrivacy: Record<keyof typeof ruPrivacy, string> = {
  'nav.resident.myData': 'My data',
  'myData.title': 'My data',
  'myData.lead':
    'Get everything the service holds about you (152-FZ art. 14), withdraw your consent to processing, or ask for your data to be erased.',
  'myData.downloadTitle': 'Get a copy',
  'myData.downloadJson': 'Download JSON',
  'myData.downloadHtml': 'Download a printable page',
  'myData.eraseTitle': 'Withdraw consent or erase data',
  'myData.eraseLead':
    'Your account will be closed and your name, phone, flat, texts, comments and attachments removed from your complaints. Their number, category, building address, dates and outcome stay.',
  'myData.ground': 'Ground',
  'myData.ground.consent_withdrawn': 'I withdraw my consent to the processing of my personal data',
  'myData.ground.erasure_request': 'I ask for my personal data to be erased',
  // The words the server takes, exactly: Russian in both languages.
  'myData.confirmWords': 'УДАЛИТЬ МОИ ДАННЫЕ',
  'myData.confirmLabel': 'To confirm, type «{words}»',
  'myData.confirmHint': 'This cannot be undone.',
  'myData.erase': 'Erase my data',
  'myData.keptTitle': 'Kept until the complaint closes',
  'myData.closed': 'Your account is closed. Thank you for using the service.',
  'nav.personData': 'Applicant data',
  'personData.title': 'Data of an applicant without an account',
  'personData.lead':
    'On the written request of a person a ТОС clerk filed for: export all their data or erase it. Each action goes to the audit log with the reason given.',
  'personData.phone': "Applicant's phone",
  'personData.reason': 'Ground (the request, its number and date)',
  'personData.reasonHint': 'Kept in the audit log.',
  'personData.ground.consent_withdrawn': 'The applicant withdrew their consent to processing',
  'personData.ground.erasure_request': 'The applicant asks for erasure',
  'personData.erase': "Erase the applicant's data",
};
