import { isApiProblem } from '@/lib/api/problem';
import { translate, type MessageKey, type Params } from '@/lib/i18n';
import { getLanguage, type Language } from '@/lib/i18n/language';

/**
 * Separates our own text from the server's words in a field error, when we could not translate
 * them: the Field component shows the server's part in a smaller font.
 */
export const ORIGINAL_SEPARATOR = '\u001f';

type Rule = [RegExp, MessageKey, (m: RegExpMatchArray) => Params];

const none = () => ({});
// The server's 422 messages are English; these patterns cover what it says (checked in order).
const RULES: Rule[] = [
  [/^must be (\d+) to (\d+) characters of a-z, 0-9 and _$/, 'fieldError.code', (m) => ({ min: m[1]!, max: m[2]! })],
  [/^must be (-?\d+) to (-?\d+) characters$/, 'fieldError.lengthRange', (m) => ({ min: m[1]!, max: m[2]! })],
  [/^must be at most (\d+) characters$/, 'fieldError.maxLength', (m) => ({ max: m[1]! })],
  [/^must be (-?[\d.]+) to (-?[\d.]+)$/, 'fieldError.range', (m) => ({ min: m[1]!, max: m[2]! })],
  [/^must not be (empty|blank)$/, 'fieldError.required', none],
  [/^must be an e-mail address$/, 'fieldError.email', none],
  [/^must be 10 or 12 digits$/, 'fieldError.inn', none],
  [/^must be (\d+) digits$/, 'fieldError.digits', (m) => ({ count: m[1]! })],
  [/^must be positive$/, 'fieldError.positive', none],
  [/^no such building$/, 'fieldError.noBuilding', none],
  [/^no such category$/, 'fieldError.noCategory', none],
  [/^no such organisation$/, 'fieldError.noOrganisation', none],
  [/(not a management company|must be a management company)/, 'fieldError.notCompany', none],
  [/^must be an organisation of kind/, 'fieldError.orgKind', none],
  [/(Russian (phone )?number|ten digits after 8 or \+7|\+7 followed by ten digits)/, 'fieldError.phone', none],
  [/^must not be in the future$/, 'fieldError.future', none],
  [/^must be after the start of the current period/, 'fieldError.afterPeriod', none],
  [/^must be a .*(FIAS|\u0424\u0418\u0410\u0421)/i, 'fieldError.fias', none],
  [/^must name (\d+) to (\d+) scopes$/, 'fieldError.scopes', (m) => ({ min: m[1]!, max: m[2]! })],
  [/(already in the registry|already registered|already in use)/, 'fieldError.taken', none],
  [/^must differ from the current password$/, 'fieldError.samePassword', none],
  [/^must (be an absolute http\(s\) URL|name a host)$/, 'fieldError.url', none],
  [/^name the organisation$/, 'fieldError.chooseOrganisation', none],
  [/^must use https$/, 'fieldError.https', none],
  [/^must point to a public address/, 'fieldError.publicAddress', none],
  [/^must not carry a user name or password$/, 'fieldError.urlCredentials', none],
  [/^must not have a #fragment$/, 'fieldError.urlFragment', none],
  [/^must name (\d+) to (\d+) event types$/, 'fieldError.eventTypes', (m) => ({ min: m[1]!, max: m[2]! })],
];

/**
 * One server message for a field in the UI language. English mode shows the server's words; in
 * Russian a known pattern becomes our own text, otherwise a generic "check this field" plus the original.
 */
export function localiseFieldMessage(message: string, language: Language = getLanguage()): string {
  if (language !== 'ru' || /[\u0400-\u04FF]/.test(message.replace(/\u0424\u0418\u0410\u0421\/\u0413\u0410\u0420/g, ''))) return message;
  for (const [pattern, key, params] of RULES) {
    const match = message.match(pattern);
    if (match) return translate(language, key, params(match));
  }
  return `${translate(language, 'fieldError.generic')}${ORIGINAL_SEPARATOR}${message}`;
}

/** Splits a field error into our text and the server's original words (when untranslated). */
export function splitFieldError(error: string): [string, string | undefined] {
  const at = error.indexOf(ORIGINAL_SEPARATOR);
  return at < 0 ? [error, undefined] : [error.slice(0, at), error.slice(at + 1)];
}

/** A field error as plain text: the original words in brackets. */
export function plainFieldError(error: string): string {
  const [text, original] = splitFieldError(error);
  return original ? `${text} (${original})` : text;
}

/** The server's messages for one field of a 422 problem, localised and joined; undefined when none. */
export function serverFieldError(error: unknown, ...fields: string[]): string | undefined {
  if (!isApiProblem(error)) return undefined;
  const messages = fields.flatMap((field) => error.fieldErrors[field] ?? []).map((m) => localiseFieldMessage(m));
  if (messages.length === 0) return undefined;
  if (messages.length === 1) return messages[0];
  return messages.map(plainFieldError).join(' ');
}

/** Field errors of a 422 problem that the form has no field for. */
export function otherFieldErrors(error: unknown, known: readonly string[]): string[] {
  if (!isApiProblem(error)) return [];
  return Object.entries(error.fieldErrors)
    .filter(([field]) => !known.includes(field))
    .flatMap(([field, messages]) => messages.map((m) => `${field}: ${plainFieldError(localiseFieldMessage(m))}`));
}

/** A line of a CSV import report (`field: message`), localised. */
export function localiseReportError(line: string): string {
  const at = line.indexOf(': ');
  if (at < 0) return plainFieldError(localiseFieldMessage(line));
  return `${line.slice(0, at)}: ${plainFieldError(localiseFieldMessage(line.slice(at + 2)))}`;
}
