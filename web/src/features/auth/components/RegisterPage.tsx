import { useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import { useConsentVersion } from '@/lib/api/meta';
import { useAccessToken } from '@/lib/auth/session';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { useRegister } from '../api/useRegister';
import { CodeStep } from './CodeStep';

type FieldName = 'name' | 'phone' | 'email' | 'password' | 'consent';
const FIELDS: readonly FieldName[] = ['name', 'phone', 'email', 'password', 'consent'];
const SERVER: Record<FieldName, string[]> = {
  name: ['name'],
  phone: ['phone'],
  email: ['email'],
  password: ['password'],
  consent: ['consent', 'consent.accepted', 'consent.version'],
};

/**
 * A resident signs up: name, phone, e-mail (optional), password and consent to data processing;
 * then the code sent by SMS to the phone, and they are signed in.
 */
export function RegisterPage() {
  const { t } = useI18n();
  const token = useAccessToken();
  const navigate = useNavigate();
  const register = useRegister();
  const consentVersion = useConsentVersion() ?? '';
  const [v, setV] = useState({ name: '', phone: '', email: '', password: '' });
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const formRef = useRef<HTMLFormElement>(null);

  if (token !== null && !register.isSuccess) return <Navigate to="/login" replace />;
  if (register.data) {
    return (
      <CodeStep
        started={register.data}
        phone={v.phone.trim()}
        onSignedIn={() => void navigate('/resident', { replace: true })}
        onBack={() => register.reset()}
      />
    );
  }

  const err = (f: FieldName) => errors[f] ?? serverFieldError(register.error, ...SERVER[f]);
  const set = (f: keyof typeof v, value: string) => {
    setV((prev) => ({ ...prev, [f]: value }));
    setErrors((e) => ({ ...e, [f]: undefined }));
  };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next: Partial<Record<FieldName, string>> = {};
    if (v.name.trim() === '') next.name = t('register.nameRequired');
    if (v.phone.replace(/\D/g, '').length < 10) next.phone = t('intake.phoneInvalid');
    if (v.email.trim() !== '' && !/^\S+@\S+\.\S+$/.test(v.email.trim())) next.email = t('admin.loginInvalid');
    if (v.password.length < 8) next.password = t('admin.passwordShort');
    if (!consent) next.consent = t('intake.consentRequired');
    setErrors(next);
    const first = FIELDS.find((f) => next[f]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    register.mutate(
      {
        name: v.name.trim(),
        phone: v.phone.trim(),
        email: v.email.trim() === '' ? null : v.email.trim(),
        password: v.password,
        consent: { accepted: true, version: consentVersion },
      },
    );
  }

  return (
    <div className="narrow">
      <PageHeading title={t('register.title')} focus={false}>
        {t('register.title')}
      </PageHeading>
      <p className="lead">{t('register.lead')}</p>
      <div className="card">
        <form ref={formRef} className="form" noValidate onSubmit={onSubmit} data-testid="register-form">
          <FormProblem error={register.error} fields={Object.values(SERVER).flat()} />
          <Field label={t('register.name')} error={err('name')}>
            {(props) => <input {...props} name="name" autoComplete="name" autoFocus className="field__input" value={v.name} onChange={(e) => set('name', e.target.value)} />}
          </Field>
          <Field label={t('register.phone')} hint={t('register.phoneHint')} error={err('phone')}>
            {(props) => <input {...props} name="phone" type="tel" autoComplete="tel" className="field__input" value={v.phone} onChange={(e) => set('phone', e.target.value)} />}
          </Field>
          <Field label={t('register.email')} hint={t('register.emailHint')} error={err('email')}>
            {(props) => <input {...props} name="email" type="email" autoComplete="email" className="field__input" value={v.email} onChange={(e) => set('email', e.target.value)} />}
          </Field>
          <Field label={t('login.password')} hint={t('admin.passwordHint')} error={err('password')}>
            {(props) => (
              <input {...props} name="password" type="password" autoComplete="new-password" className="field__input" value={v.password} onChange={(e) => set('password', e.target.value)} />
            )}
          </Field>
          <div className={`field${err('consent') ? ' field--invalid' : ''}`}>
            <p className="consent-text" id="reg-consent-text">
              {t('consent.text')} <span className="muted">{t('consent.version', { version: consentVersion })}</span>
            </p>
            {err('consent') ? (
              <p className="field__error" id="reg-consent-error">
                {err('consent')}
              </p>
            ) : null}
            <label className="checkbox">
              <input
                type="checkbox"
                name="consent"
                checked={consent}
                aria-describedby={`reg-consent-text${err('consent') ? ' reg-consent-error' : ''}`}
                aria-invalid={err('consent') ? true : undefined}
                onChange={(e) => {
                  setConsent(e.target.checked);
                  setErrors((x) => ({ ...x, consent: undefined }));
                }}
              />
              <span>{t('register.consent')}</span>
            </label>
          </div>
          <button type="submit" className="button button--primary" disabled={register.isPending}>
            {t('register.submit')}
          </button>
        </form>
      </div>
      <p>
        {t('register.haveAccount')} <Link to="/login">{t('nav.signIn')}</Link>
      </p>
    </div>
  );
}
