import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import { NO_ITEMS } from '@/lib/api/keyset';
import type { WebhookAttempt, WebhookDetails } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { useDeleteWebhook, useReplayWebhook, useRotateWebhookSecret, useUpdateWebhook, useWebhook, useWebhookAttempts } from '../api/webhooks';
import { DEFAULT_GRACE_MINUTES, eventTypeLabel, MAX_GRACE_MINUTES, parseGraceMinutes, replayRange } from '../webhooks';
import { AdminList, RowButton } from './AdminList';
import { SecretNotice } from './SecretNotice';
import { WebhookState } from './WebhookState';

function Facts({ webhook }: { webhook: WebhookDetails }) {
  const { t, language } = useI18n();
  return (
    <dl className="facts">
      <div>
        <dt>{t('admin.organisation')}</dt>
        <dd>{webhook.organisation.name}</dd>
      </div>
      <div>
        <dt>{t('webhooks.url')}</dt>
        <dd data-testid="webhook-url">{webhook.url}</dd>
      </div>
      <div>
        <dt>{t('webhooks.description')}</dt>
        <dd>{webhook.description || <span className="muted">{t('webhooks.details.noDescription')}</span>}</dd>
      </div>
      <div>
        <dt>{t('webhooks.eventTypes')}</dt>
        <dd>
          <ul className="webhook-chips">
            {webhook.event_types.map((type) => (
              <li key={type}>{eventTypeLabel(type, t)}</li>
            ))}
          </ul>
        </dd>
      </div>
      <div>
        <dt>{t('webhooks.state')}</dt>
        <dd>
          <WebhookState webhook={webhook} />
        </dd>
      </div>
      {webhook.failing_since ? (
        <div>
          <dt>{t('webhooks.failingSinceLabel')}</dt>
          <dd>{formatDateTime(webhook.failing_since, language)}</dd>
        </div>
      ) : null}
      {webhook.previous_secret_valid_until ? (
        <div>
          <dt>{t('webhooks.details.previousUntil')}</dt>
          <dd>{formatDateTime(webhook.previous_secret_valid_until, language)}</dd>
        </div>
      ) : null}
      <div>
        <dt>{t('webhooks.details.created')}</dt>
        <dd>{formatDateTime(webhook.created_at, language)}</dd>
      </div>
    </dl>
  );
}

function Counts({ webhook }: { webhook: WebhookDetails }) {
  const { t } = useI18n();
  const counts: [MessageKey, number, string][] = [
    ['webhooks.details.pending', webhook.pending, 'pending'],
    ['webhooks.details.delivered', webhook.delivered, 'delivered'],
    ['webhooks.details.failed', webhook.failed, 'failed'],
  ];
  return (
    <section className="card" aria-labelledby="webhook-counts-title">
      <h2 id="webhook-counts-title">{t('webhooks.details.counts')}</h2>
      <dl className="webhook-counts" data-testid="webhook-counts">
        {counts.map(([label, value, name]) => (
          <div key={name} className={`webhook-counts__item webhook-counts__item--${name}`}>
            <dt>{t(label)}</dt>
            <dd data-testid={`webhook-count-${name}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function RotateForm({ id, onRotated }: { id: string; onRotated: (secret: string) => void }) {
  const { t } = useI18n();
  const rotate = useRotateWebhookSecret(id);
  const [grace, setGrace] = useState(String(DEFAULT_GRACE_MINUTES));
  const graceMinutes = parseGraceMinutes(grace);
  const localError = graceMinutes === null ? t('fieldError.range', { min: 0, max: MAX_GRACE_MINUTES }) : undefined;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (graceMinutes === null) return;
    if (!window.confirm(t('webhooks.rotate.confirm', { minutes: graceMinutes }))) return;
    rotate.mutate(graceMinutes, { onSuccess: (rotated) => onRotated(rotated.secret) });
  }
  return (
    <section className="card" aria-labelledby="webhook-rotate-title">
      <h2 id="webhook-rotate-title">{t('webhooks.rotate.title')}</h2>
      <form className="form" noValidate onSubmit={onSubmit} data-testid="webhook-rotate-form">
        <FormProblem error={rotate.error} fields={['grace_minutes']} />
        <Field label={t('webhooks.rotate.grace')} hint={t('webhooks.rotate.graceHint')} error={localError ?? serverFieldError(rotate.error, 'grace_minutes')} className="field--short">
          {(props) => (
            <input {...props} className="field__input" type="number" inputMode="numeric" min={0} max={MAX_GRACE_MINUTES} step={1} value={grace} onChange={(e) => setGrace(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="button button--primary" disabled={rotate.isPending || graceMinutes === null}>
          {t('webhooks.rotate.submit')}
        </button>
      </form>
    </section>
  );
}

function ReplayRangeForm({ id, onQueued }: { id: string; onQueued: (text: string) => void }) {
  const { t } = useI18n();
  const replay = useReplayWebhook(id);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [localError, setLocalError] = useState<MessageKey | null>(null);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const range = replayRange(from, to);
    if ('error' in range) {
      setLocalError(range.error);
      return;
    }
    setLocalError(null);
    replay.mutate(range, { onSuccess: (queued) => onQueued(t('webhooks.replay.queued', { count: queued })) });
  }
  const fromError = localError === 'webhooks.replay.rangeRequired' && !from ? t(localError) : serverFieldError(replay.error, 'from');
  const toError = localError && (localError !== 'webhooks.replay.rangeRequired' || !to) ? t(localError) : serverFieldError(replay.error, 'to');
  return (
    <section className="card" aria-labelledby="webhook-replay-title">
      <h2 id="webhook-replay-title">{t('webhooks.replay.title')}</h2>
      <p className="muted">{t('webhooks.replay.hint')}</p>
      <form className="form" noValidate onSubmit={onSubmit} data-testid="webhook-replay-form">
        <FormProblem error={replay.error} fields={['from', 'to']} />
        <div className="form-grid">
          <Field label={t('webhooks.replay.from')} error={fromError}>
            {(props) => <input {...props} className="field__input" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />}
          </Field>
          <Field label={t('webhooks.replay.to')} error={toError}>
            {(props) => <input {...props} className="field__input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />}
          </Field>
        </div>
        <button type="submit" className="button button--primary" disabled={replay.isPending}>
          {t('webhooks.replay.submit')}
        </button>
      </form>
    </section>
  );
}

function Attempts({ id, onQueued }: { id: string; onQueued: (text: string) => void }) {
  const { t, language } = useI18n();
  const attempts = useWebhookAttempts(id);
  const replay = useReplayWebhook(id);
  return (
    <AdminList<WebhookAttempt>
      id="webhook-attempts-title"
      title={t('webhooks.attempts')}
      list={attempts}
      items={attempts.data?.items ?? NO_ITEMS}
      rowKey={(a) => a.id}
      rowProps={(a) => ({ 'data-testid': 'attempt-row', 'data-status': a.status === null || a.status === undefined ? '' : String(a.status), 'data-webhook-id': a.webhook_id })}
      tableTestId="attempt-table"
      actionError={replay}
      empty={t('webhooks.attemptsEmpty')}
      pages={attempts}
      columns={[
        { key: 'time', header: t('webhooks.attempt.time'), cell: (a) => formatDateTime(a.attempted_at, language) },
        { key: 'event', header: t('webhooks.attempt.event'), cell: (a) => eventTypeLabel(a.event_type, t) },
        { key: 'id', header: t('webhooks.attempt.webhookId'), cell: (a) => <code className="webhook-id">{a.webhook_id}</code> },
        {
          key: 'status',
          header: t('webhooks.attempt.status'),
          cell: (a) =>
            a.status === null || a.status === undefined ? (
              <span className="muted">{t('webhooks.attempt.noAnswer')}</span>
            ) : (
              <span className={`badge ${a.status >= 200 && a.status < 300 ? 'badge--done' : 'badge--overdue'}`}>{a.status}</span>
            ),
        },
        { key: 'latency', header: t('webhooks.attempt.latency'), cell: (a) => a.latency_ms },
        { key: 'error', header: t('webhooks.attempt.error'), cell: (a) => (a.error ? <span className="webhook-error">{a.error}</span> : '—') },
        {
          key: 'actions',
          header: t('webhooks.attempt.actions'),
          hiddenHeader: true,
          cell: (a) => (
            <RowButton
              label={t('webhooks.attempt.replay')}
              name={a.webhook_id}
              disabled={replay.isPending}
              onClick={() => replay.mutate({ webhook_id: a.webhook_id }, { onSuccess: () => onQueued(t('webhooks.replay.queuedOne', { id: a.webhook_id })) })}
            />
          ),
        },
      ]}
    />
  );
}

/** Administrator: one subscription — its state and counts, switch off/on, a new secret, deletion, attempts and replays. */
export function WebhookPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const webhook = useWebhook(id);
  const update = useUpdateWebhook(id);
  const remove = useDeleteWebhook(id);
  const [secret, setSecret] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const title = t('webhooks.details.title');
  const w = webhook.data;

  function switchTo(enabled: boolean) {
    if (!enabled && !window.confirm(t('webhooks.switchOffConfirm'))) return;
    update.mutate({ enabled }, { onSuccess: () => setDone(t(enabled ? 'webhooks.switchedOn' : 'webhooks.switchedOff')) });
  }
  function onDelete() {
    if (!w || !window.confirm(t('webhooks.deleteConfirm', { url: w.url }))) return;
    remove.mutate(undefined, { onSuccess: () => void navigate('/admin/webhooks') });
  }

  return (
    <div data-testid="admin-webhook" data-enabled={w ? String(w.enabled) : undefined}>
      <p className="webhook-back">
        <Link to="/admin/webhooks">← {t('webhooks.details.back')}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      {webhook.isPending ? <Loading /> : null}
      {webhook.isError ? <ErrorNotice error={webhook.error} onRetry={() => void webhook.refetch()} /> : null}
      {secret ? <SecretNotice secret={secret} title="webhooks.secret.rotatedOnce" /> : null}
      {done ? (
        <div className="notice" role="status" data-testid="webhook-done">
          <p>{done}</p>
        </div>
      ) : null}
      {w ? (
        <>
          <div className="webhook-layout">
            <section className="card" aria-labelledby="webhook-facts-title">
              <h2 id="webhook-facts-title">{t('webhooks.details.subscription')}</h2>
              <Facts webhook={w} />
              {update.isError ? <ErrorNotice error={update.error} /> : null}
              {remove.isError ? <ErrorNotice error={remove.error} /> : null}
              <div className="actions">
                {w.enabled ? (
                  <button type="button" className="button button--secondary" disabled={update.isPending} onClick={() => switchTo(false)}>
                    {t('webhooks.switchOff')}
                  </button>
                ) : (
                  <button type="button" className="button button--primary" disabled={update.isPending} onClick={() => switchTo(true)}>
                    {t('webhooks.switchOn')}
                  </button>
                )}
                <button type="button" className="button button--danger" disabled={remove.isPending} onClick={onDelete}>
                  {t('webhooks.delete')}
                </button>
              </div>
            </section>
            <div>
              <Counts webhook={w} />
              <RotateForm
                id={id}
                onRotated={(s) => {
                  setSecret(s);
                  window.scrollTo(0, 0);
                }}
              />
            </div>
          </div>
          <Attempts id={id} onQueued={setDone} />
          <ReplayRangeForm id={id} onQueued={setDone} />
        </>
      ) : null}
    </div>
  );
}
