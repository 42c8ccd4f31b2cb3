import { enComplaint } from './en.complaint';
import { enExtra } from './en.extra';
import { enMessaging } from './en.messaging';
import { enCalendar } from './en.calendar';
import { enPolicy } from './en.policy';
import { enPrivacy } from './en.privacy';
import { enScreens } from './en.screens';
import { enAudit } from './en.audit';
import { enWebhooks } from './en.webhooks';
import { enInspection } from './en.inspection';
import { enActs } from './en.acts';
import { enDesk } from './en.desk';
import { enClocks } from './en.clocks';
import { enRecategorise } from './en.recategorise';
import { enDuplicates } from './en.duplicates';
import type { Messages } from './ru';

// English catalogue: the same keys as ru.ts (the type and a unit test both check it).
export const en: Messages = {
  'app.name': 'Virtual housing dispatch centre',
  'app.skipToContent': 'Skip to main content',
  'app.loading': 'Loading…',
  'app.retry': 'Try again',
  'app.pageTitle': '{page} — Virtual housing dispatch centre',

  'pilot.banner': 'The service is running in test mode',
  'pilot.bannerDetail': 'Data may be deleted and deadlines may not be met.',

  'lang.groupLabel': 'Interface language',
  'lang.ru': 'Русский',
  'lang.en': 'English',
  'lang.ru.short': 'RU',
  'lang.en.short': 'EN',

  'nav.main': 'Main navigation',
  'nav.home': 'Home',
  'nav.myPage': 'My page',
  'nav.signIn': 'Sign in',
  'nav.apiDocs': 'API documentation',

  'user.signedInAs': 'Signed in as',
  'user.signOut': 'Sign out',
  'user.menuLabel': 'Current user',

  'footer.city': 'City: {city}',
  'footer.version': 'Version {version}',
  'footer.timeZone': 'Time zone: {zone}',
  'footer.note': 'A municipal service for holding management companies to account.',

  'home.title': 'Complaints about your management company, under the city’s control',
  'home.lead':
    'Report a problem in your building: the complaint goes straight to the management company that runs the building and onto the control board of the city housing department (DGKh).',
  'home.howTitle': 'How it works',
  'home.step1': 'You file a complaint on the website. No computer? Go to your neighbourhood self-government office (TOS): a clerk types the complaint in on the spot, with no paper application, and gives you its number.',
  'home.step2': 'The complaint goes straight to your building’s management company and onto the city housing department’s control board.',
  'home.step3': 'The management company does the work and marks the complaint done.',
  'home.step4': 'A city specialist phones you to ask whether the work was done and whether you are satisfied. If not, the complaint goes on a second round as urgent.',
  'home.step5': 'If the work was not done, the municipal housing inspection visits the site: it can issue an order with a deadline and impose a fine.',
  'home.signInCta': 'Sign in',
  'home.docsCta': 'API documentation',
  'home.accountsNote': 'Accounts are for residents, TOS clerks, management companies, the city housing department, the housing inspection and administrators.',

  'login.title': 'Sign in',
  'login.intro': 'Enter the login and password you were given for the service.',
  'login.login': 'Login',
  'login.loginHint': 'Usually your email address.',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.errorSummary': 'Could not sign in',
  'login.loginRequired': 'Enter your login.',
  'login.passwordRequired': 'Enter your password.',
  'login.sessionRequired': 'Sign in to open this page.',
  'login.signedOut': 'You have signed out.',

  'error.invalid_credentials': 'Wrong login or password.',
  'error.validation_failed': 'Please check the fields.',
  'error.unauthorized': 'Your session has ended. Please sign in again.',
  'error.invalid_token': 'Your session has ended. Please sign in again.',
  'error.missing_token': 'Please sign in to continue.',
  'error.service_unavailable': 'The service is temporarily unavailable. Please try again later.',
  'error.internal_error': 'Something went wrong on the server. Please try again later.',
  'error.forbidden': 'You are not allowed to do this.',
  'error.too_many_requests': 'Too many attempts. Please wait a little and try again.',
  'error.network_error': 'The server cannot be reached. Check your connection and try again.',
  'error.server': 'Something went wrong on the server. Please try again later.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.loadProfile': 'Could not load your account details.',

  'role.resident.name': 'Resident',
  'role.clerk.name': 'Neighbourhood office (TOS) clerk',
  'role.company.name': 'Management company staff',
  'role.dispatcher.name': 'City housing department specialist',
  'role.inspector.name': 'Housing inspector',
  'role.admin.name': 'Administrator',

  'role.resident.summary': 'Files complaints about the management company and follows them through.',

  'role.clerk.summary': 'Takes complaints from residents who come to the neighbourhood office in person.',

  'role.company.summary': 'Carries out complaints for the buildings your company manages.',

  'role.dispatcher.summary': 'Runs the city housing department’s control board and follows the whole course of every complaint.',

  'role.inspector.summary': 'Carries out municipal housing inspections.',

  'role.admin.summary': 'Keeps the system’s registries.',


  'gate.title': 'This page is for another role',
  'gate.text': 'This page is for the role “{required}”, but you are signed in as “{actual}”.',
  'gate.goToMine': 'Go to your page',

  'notFound.title': 'Page not found',
  'notFound.text': 'There is no such page. The link may be out of date, or the address may have a typo.',
  'notFound.home': 'Go to the home page',
  ...enScreens,
  ...enComplaint,
  ...enExtra,
  ...enMessaging,
  ...enWebhooks,
  ...enDesk,
  ...enClocks,
  ...enDuplicates,
  ...enAudit,
  ...enPrivacy,
  ...enInspection,
  ...enActs,
  ...enPolicy,
  ...enRecategorise,
  ...enCalendar,
};
