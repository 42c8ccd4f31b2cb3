import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { LoginResponse } from '@/lib/api/types';
import { isApiProblem } from '@/lib/api/problem';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { useLogin } from '../api/useLogin';

type Field = 'login' | 'password';
const FIELDS: readonly Field[] = ['login', 'password'];

interface Props {
  onSignedIn: (response: LoginResponse) => void;
}

export function LoginForm({ onSignedIn }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const mutation = useLogin();
  const [values, setValues] = useState<Record<Field, string>>({ login: '', password: '' });
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({});
  const summaryRef = useRef<HTMLDivElement>(null);
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const problem = isApiProblem(mutation.error) ? mutation.error : null;
  const serverFieldErrors = problem?.fieldErrors ?? {};
  const fieldError = (field: Field): string | undefined =>
    clientErrors[field] ?? serverFieldErrors[field]?.join(' ');
  // Field errors the form cannot place next to a field are shown in the summary.
  const otherServerErrors = Object.entries(serverFieldErrors)
    .filter(([field]) => !(FIELDS as readonly string[]).includes(field))
    .flatMap(([, messages]) => messages);
  const formError = mutation.isError ? problemMessage(mutation.error, i18n) : null;

  // After a failed attempt, move focus to the first field the server faulted, or else to the
  // summary, so keyboard and screen-reader users land on the message.
  const failure = mutation.error;
  useEffect(() => {
    if (failure === null) return;
    const fields = isApiProblem(failure) ? failure.fieldErrors : {};
    const invalid = FIELDS.find((field) => fields[field]);
    const target = invalid ? (invalid === 'login' ? loginRef : passwordRef) : summaryRef;
    target.current?.focus();
  }, [failure]);

  function handleChange(field: Field, value: string) {
    setValues((prev) => ({ ...prev, [field]: value }));
    if (clientErrors[field]) setClientErrors((prev) => ({ ...prev, [field]: undefined }));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const errors: Partial<Record<Field, string>> = {};
    if (values.login.trim() === '') errors.login = t('login.loginRequired');
    if (values.password === '') errors.password = t('login.passwordRequired');
    setClientErrors(errors);
    const firstInvalid = FIELDS.find((field) => errors[field]);
    if (firstInvalid) {
      mutation.reset();
      (firstInvalid === 'login' ? loginRef : passwordRef).current?.focus();
      return;
    }
    mutation.mutate(
      { login: values.login.trim(), password: values.password },
      { onSuccess: onSignedIn },
    );
  }

  const errorId = (field: Field) => `${id}-${field}-error`;

  return (
    <form className="form" noValidate onSubmit={handleSubmit} aria-busy={mutation.isPending}>
      {formError ? (
        <div ref={summaryRef} className="notice notice--error" role="alert" tabIndex={-1} data-testid="login-error">
          <p className="notice__title">{t('login.errorSummary')}</p>
          <p>{formError}</p>
          {otherServerErrors.length > 0 ? (
            <ul>
              {otherServerErrors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <div className={`field${fieldError('login') ? ' field--invalid' : ''}`}>
        <label htmlFor={`${id}-login`} className="field__label">
          {t('login.login')}
        </label>
        <p id={`${id}-login-hint`} className="field__hint">
          {t('login.loginHint')}
        </p>
        {fieldError('login') ? (
          <p id={errorId('login')} className="field__error">
            {fieldError('login')}
          </p>
        ) : null}
        <input
          ref={loginRef}
          id={`${id}-login`}
          name="login"
          type="text"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          required
          className="field__input"
          value={values.login}
          aria-invalid={fieldError('login') ? true : undefined}
          aria-describedby={`${id}-login-hint${fieldError('login') ? ` ${errorId('login')}` : ''}`}
          onChange={(e) => handleChange('login', e.target.value)}
        />
      </div>

      <div className={`field${fieldError('password') ? ' field--invalid' : ''}`}>
        <label htmlFor={`${id}-password`} className="field__label">
          {t('login.password')}
        </label>
        {fieldError('password') ? (
          <p id={errorId('password')} className="field__error">
            {fieldError('password')}
          </p>
        ) : null}
        <input
          ref={passwordRef}
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="field__input"
          value={values.password}
          aria-invalid={fieldError('password') ? true : undefined}
          aria-describedby={fieldError('password') ? errorId('password') : undefined}
          onChange={(e) => handleChange('password', e.target.value)}
        />
      </div>

      <button type="submit" className="button button--primary" disabled={mutation.isPending}>
        {mutation.isPending ? (
          <>
            <span className="button__spinner" aria-hidden="true" />
            {t('login.submitting')}
          </>
        ) : (
          t('login.submit')
        )}
      </button>
    </form>
  );
}
