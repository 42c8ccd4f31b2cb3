import { useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { DueIn, StatusBadge } from '@/components/Badges';
import { Field } from '@/components/Field';
import { PageHeading } from '@/components/PageHeading';
import { isApiProblem } from '@/lib/api/problem';
import { OPEN_STATUSES } from '@/lib/api/types';
import { catalogues, useI18n, type MessageKey } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { formatDateTime } from '@/lib/time';
import { useLookup } from '../api/useLookup';

function kindName(kind: string, t: (key: MessageKey) => string) {
  const key = `event.${kind}`;
  return Object.prototype.hasOwnProperty.call(catalogues.ru, key) ? t(key as MessageKey) : kind;
}

/**
 * /status: a person without an account checks their complaint with the number and PIN from the receipt.
 * The link in the SMS carries the number (`/status?number=…`), so only the PIN is left to type.
 */
export function StatusPage() {
  const i18n = useI18n();
  const { t, language } = i18n;
  const lookup = useLookup();
  const [searchParams] = useSearchParams();
  const linkedNumber = searchParams.get('number')?.trim() ?? '';
  const [number, setNumber] = useState(linkedNumber);
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<{ number?: string; pin?: string }>({});
  const resultRef = useRef<HTMLElement>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next: { number?: string; pin?: string } = {};
    if (number.trim() === '') next.number = t('lookup.numberRequired');
    if (!/^\d{6}$/.test(pin.trim())) next.pin = t('lookup.pinInvalid');
    setErrors(next);
    if (next.number || next.pin) return;
    lookup.mutate(
      { number: number.trim().toUpperCase(), pin: pin.trim() },
      { onSuccess: () => setTimeout(() => resultRef.current?.focus(), 0) },
    );
  }

  const notFound = isApiProblem(lookup.error) && lookup.error.status === 404;
  const result = lookup.data;
  return (
    <div className="narrow" data-testid="status-page">
      <PageHeading title={t('lookup.title')} focus={false}>
        {t('lookup.title')}
      </PageHeading>
      <p className="lead">{t('lookup.lead')}</p>
      <div className="card">
        <form className="form" noValidate onSubmit={onSubmit}>
          {lookup.isError ? (
            <div className="notice notice--error" role="alert" data-testid="lookup-error">
              <p>{notFound ? t('lookup.notFound') : problemMessage(lookup.error, i18n)}</p>
            </div>
          ) : null}
          <Field label={t('lookup.number')} hint={t('lookup.numberHint')} error={errors.number}>
            {(props) => (
              <input {...props} className="field__input" type="text" autoComplete="off" autoFocus={linkedNumber === ''} value={number} onChange={(e) => setNumber(e.target.value)} />
            )}
          </Field>
          <Field label={t('lookup.pin')} hint={t('lookup.pinHint')} error={errors.pin}>
            {(props) => (
              <input
                {...props}
                className="field__input field__input--short"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                autoFocus={linkedNumber !== ''}
                maxLength={6}
                value={pin}
                onChange={(e) => setPin(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button button--primary" disabled={lookup.isPending}>
            {lookup.isPending ? t('app.loading') : t('lookup.submit')}
          </button>
        </form>
      </div>
      {result ? (
        <section ref={resultRef} tabIndex={-1} className="card" aria-labelledby="status-result" data-testid="status-result">
          <h2 id="status-result">{t('lookup.result', { number: result.number })}</h2>
          <p className="badges">
            <StatusBadge status={result.status} />
            {result.round >= 2 ? <span className="badge badge--round">{t('complaint.roundBadge', { round: result.round })}</span> : null}
            {result.overdue ? <span className="badge badge--overdue">{t('complaint.overdue')}</span> : null}
          </p>
          <dl className="facts">
            <div>
              <dt>{t('complaint.category')}</dt>
              <dd>{language === 'ru' ? result.category_name_ru : result.category_name_en}</dd>
            </div>
            <div>
              <dt>{t('complaint.address')}</dt>
              <dd>{result.address}</dd>
            </div>
            <div>
              <dt>{t('complaint.registered')}</dt>
              <dd>{formatDateTime(result.registered_at, language)}</dd>
            </div>
            <div>
              <dt>{t('complaint.dueAt')}</dt>
              <dd>
                <DueIn due={result.due_at} done={!OPEN_STATUSES.includes(result.status)} />
              </dd>
            </div>
          </dl>
          <h3>{t('complaint.history')}</h3>
          <ol className="timeline">
            {result.steps.map((step, i) => (
              <li key={`${step.at}-${i}`} className="timeline__item">
                <p className="timeline__head">
                  <strong>{kindName(step.kind, t)}</strong>{' '}
                  <time dateTime={step.at} className="muted">
                    {formatDateTime(step.at, language)}
                  </time>
                </p>
                <p className="timeline__meta">{t(`status.${step.to}`)}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
