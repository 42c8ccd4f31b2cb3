import { otherFieldErrors } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';

/**
 * What went wrong with a form's request, above the form: the problem, and the server's messages for
 * fields the form does not show (those it shows appear under their field). Nothing without an error.
 */
export function FormProblem({ error, fields }: { error: unknown; fields: readonly string[] }) {
  const i18n = useI18n();
  if (!error) return null;
  const other = otherFieldErrors(error, fields);
  return (
    <div className="notice notice--error" role="alert">
      <p>{problemMessage(error, i18n)}</p>
      {other.length > 0 ? <ul>{other.map((m) => <li key={m}>{m}</li>)}</ul> : null}
    </div>
  );
}
