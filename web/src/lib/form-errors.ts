import { isApiProblem } from '@/lib/api/problem';

/** The server's messages for one field of a 422 problem, joined; undefined when none. */
export function serverFieldError(error: unknown, ...fields: string[]): string | undefined {
  if (!isApiProblem(error)) return undefined;
  const messages = fields.flatMap((field) => error.fieldErrors[field] ?? []);
  return messages.length > 0 ? messages.join(' ') : undefined;
}

/** Field errors of a 422 problem that the form has no field for. */
export function otherFieldErrors(error: unknown, known: readonly string[]): string[] {
  if (!isApiProblem(error)) return [];
  return Object.entries(error.fieldErrors)
    .filter(([field]) => !known.includes(field))
    .flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`));
}
