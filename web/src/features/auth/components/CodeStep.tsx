import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { PageHeading } from '@/components/PageHeading';
import { isApiProblem } from '@/lib/api/problem';
import type { RegistrationStarted } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { useConfirmRegistration, useResendCode } from '../api/useRegister';
import '../auth.css';

/** Seconds left until `until` (ms since the epoch), ticking once a second. */
function useCountdown(until: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= Date.now()) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/**
 * The second step of registration: the six digits sent by SMS (the browser may offer them from
 * the message: autocomplete="one-time-code"), and a new code once the wait is over.
 */
export function CodeStep({
  started,
  phone,
  onSignedIn,
  onBack,
}: {
  started: RegistrationStarted;
  phone: string;
  onSignedIn: () => void;
  /** Back to the form, to correct the phone or anything else. */
  onBack?: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const confirm = useConfirmRegistration();
  const resend = useResendCode();
  const [code, setCode] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const [resendAt, setResendAt] = useState(() => Date.now() + started.resend_in * 1000);
  const [resent, setResent] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const wait = useCountdown(resendAt);
  const digits = started.code_length;

  const failure = confirm.error ?? resend.error;
  useEffect(() => {
    if (failure) inputRef.current?.focus();
  }, [failure]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (confirm.isPending) return;
    const entered = code.replace(/\s/g, '');
    if (!new RegExp(`^[0-9]{${digits}}$`).test(entered)) {
      setClientError(t('register.codeInvalid', { digits: String(digits) }));
      inputRef.current?.focus();
      return;
    }
    setClientError(undefined);
    resend.reset();
    confirm.mutate({ registration_id: started.registration_id, code: entered }, { onSuccess: onSignedIn });
  }

  function onResend() {
    confirm.reset();
    setCode('');
    resend.mutate(started.registration_id, {
      onSuccess: (again) => {
        setResendAt(Date.now() + again.resend_in * 1000);
        setResent(true);
        inputRef.current?.focus();
      },
      onError: (error) => {
        if (isApiProblem(error) && error.retryAfter !== undefined) setResendAt(Date.now() + error.retryAfter * 1000);
      },
    });
  }

  let serverError: string | undefined;
  if (isApiProblem(confirm.error) && confirm.error.code === 'wrong_code') {
    serverError = t('register.codeWrong', { remaining: String(confirm.error.remainingAttempts ?? 0) });
  } else if (confirm.error) {
    serverError = problemMessage(confirm.error, i18n);
  }
  const resendError = resend.error ? problemMessage(resend.error, i18n) : undefined;

  return (
    <div className="narrow">
      <PageHeading title={t('register.codeTitle')}>{t('register.codeTitle')}</PageHeading>
      <p className="lead">{t('register.codeLead', { phone, minutes: String(Math.round(started.expires_in / 60)) })}</p>
      <div className="card">
        <form className="form" noValidate onSubmit={onSubmit} aria-busy={confirm.isPending} data-testid="code-form">
          {resendError ? (
            <div className="notice notice--error" role="alert">
              <p>{resendError}</p>
            </div>
          ) : null}
          {resent && !resendError ? (
            <p className="notice" role="status">
              {t('register.codeResent')}
            </p>
          ) : null}
          <Field label={t('register.code')} hint={t('register.codeHint', { digits: String(digits) })} error={clientError ?? serverError}>
            {(props) => (
              <input
                {...props}
                ref={inputRef}
                name="code"
                autoFocus
                className="field__input field__input--code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                maxLength={digits}
                value={code}
                onChange={(e) => {
                  setCode(e.target.value.replace(/\D/g, '').slice(0, digits));
                  setClientError(undefined);
                }}
              />
            )}
          </Field>
          <button type="submit" className="button button--primary" disabled={confirm.isPending}>
            {t('register.codeSubmit')}
          </button>
          <button type="button" className="button button--secondary" onClick={onResend} disabled={wait > 0 || resend.isPending}>
            {wait > 0 ? t('register.codeResendIn', { seconds: String(wait) }) : t('register.codeResend')}
          </button>
          {onBack ? (
            <button type="button" className="button button--secondary" onClick={onBack}>
              {t('register.codeBack')}
            </button>
          ) : null}
        </form>
      </div>
    </div>
  );
}
