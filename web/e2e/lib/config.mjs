// Where the run points and what it uses: the server, the browser, the demo users.
import { fileURLToPath } from 'node:url';

export const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'demo2026';
export const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
export const TIMEOUT_MS = 15_000;

// The README's screenshots are rewritten only when asked (`make screenshots`); otherwise they go
// next to the other e2e screenshots, so that a test run leaves the work tree clean.
export const DOC_SHOTS = fileURLToPath(
  new URL(process.env.E2E_DOC_SHOTS === '1' ? '../../../docs/screenshots/' : '../screenshots/docs/', import.meta.url),
);

/** The demo users and what the role page must call their role, in both languages. */
export const ROLES = [
  { role: 'resident', login: 'resident@demo.test', ru: 'Житель', en: 'Resident', heading: 'Мои жалобы', headingEn: 'My complaints' },
  { role: 'clerk', login: 'clerk@demo.test', ru: 'Специалист ТОС', en: 'Neighbourhood office (TOS) clerk', heading: 'Приём жалобы', headingEn: 'Take a complaint' },
  { role: 'company', login: 'company@demo.test', ru: 'Сотрудник управляющей компании', en: 'Management company staff', heading: 'Очередь жалоб', headingEn: 'Complaint queue' },
  { role: 'dispatcher', login: 'dispatcher@demo.test', ru: 'Специалист ДГХ', en: 'City housing department specialist', heading: 'Контрольная доска', headingEn: 'Control board' },
  { role: 'inspector', login: 'inspector@demo.test', ru: 'Инспектор жилищного контроля', en: 'Housing inspector', heading: 'Жилищный контроль', headingEn: 'Housing inspection' },
  { role: 'admin', login: 'admin@demo.test', ru: 'Администратор', en: 'Administrator', heading: 'Пользователи', headingEn: 'Users' },
];

/** The control port of the local SMS centre (tests/sinks/smsc.py) the server sends SMS to. */
export const SMSC_CONTROL = (process.env.E2E_SMSC_CONTROL ?? 'http://127.0.0.1:2776').replace(/\/+$/, '');
