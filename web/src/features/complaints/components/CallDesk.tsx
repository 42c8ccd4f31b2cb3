import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import type { Complaint } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { cityLocalToIso, formatDateTime } from '@/lib/time';
import { useCallBack, useCallQueue, useClaimCall, useReleaseCall, type QueuedCall } from '../api/calls';
import { useComplaint, useRevealPhone, useTransition } from '../api/queries';
import { CallOutcomes, type ActionProps } from './actions';
import { useLiveCalls } from '../hooks/useLiveChanges';
import { ComplaintSummary } from './ComplaintList';
import { LiveMarker } from './LiveMarker';
import { RevealPhone } from './RevealPhone';

const PAGE = 20;

/** The call desk (live: new and changed calls are offered, not pushed in): calls ordered by what is due, with attempts so far, who has taken each, the script and the outcomes. */
export function VerificationQueue() {
  const { t } = useI18n();
  const queue = useCallQueue();
  const [shown, setShown] = useState(PAGE);
  const calls = queue.data?.calls ?? [];
  const changes = useLiveCalls(queue.data?.calls, queue.isSuccess);
  return (
    <div data-testid="verification-queue">
      <p>
        <Link to="/dispatcher">{t('board.back')}</Link>
      </p>
      <PageHeading title={t('verify.title')}>{t('verify.title')}</PageHeading>
      <p className="lead">{t('verify.lead')}</p>
      {queue.data ? (
        <p className="muted" data-testid="call-rules">
          {queue.data.hours_open === queue.data.hours_close
            ? t('calls.rulesAnyHour', { gap: queue.data.min_gap_minutes })
            : t('calls.rules', { open: queue.data.hours_open, close: queue.data.hours_close, gap: queue.data.min_gap_minutes })}
        </p>
      ) : null}
      {queue.isPending ? <Loading /> : null}
      {queue.isError ? <ErrorNotice error={queue.error} onRetry={() => void queue.refetch()} /> : null}
      {queue.isSuccess ? <LiveMarker changes={changes} onShow={() => void queue.refetch()} /> : null}
      {queue.isSuccess ? (
        <p className="muted" role="status" aria-live="polite">
          {calls.length === 0 ? t('verify.empty') : t('list.shown', { n: Math.min(shown, calls.length) })}
        </p>
      ) : null}
      {calls.length > 0 ? (
        <ul className="crows" aria-label={t('verify.title')}>
          {calls.slice(0, shown).map((c) => (
            <CallRow key={c.complaint_id} call={c} />
          ))}
        </ul>
      ) : null}
      {calls.length > shown ? (
        <button type="button" className="button button--secondary" onClick={() => setShown((n) => n + PAGE)}>
          {t('list.more')}
        </button>
      ) : null}
    </div>
  );
}

function CallRow({ call }: { call: QueuedCall }) {
  const complaint = useComplaint(call.complaint_id);
  return (
    <li className={`crow${call.due_now ? '' : ' crow--later'}`} data-testid="complaint-row" data-number={call.number}>
      {complaint.data ? <ComplaintSummary complaint={complaint.data} showCompany /> : <Loading />}
      <CallFacts call={call} />
      {complaint.data ? <VerificationCall complaint={complaint.data} call={call} /> : null}
    </li>
  );
}

function CallFacts({ call }: { call: QueuedCall }) {
  const { t, language } = useI18n();
  return (
    <dl className="crow__facts" data-testid="call-facts">
      <div>
        <dt>{t('calls.attempts')}</dt>
        <dd data-testid="call-attempts">{t('calls.attemptsValue', { all: call.attempts, unanswered: call.unanswered_calls })}</dd>
      </div>
      {call.last_attempt_at ? (
        <div>
          <dt>{t('calls.lastAttempt')}</dt>
          <dd>{formatDateTime(call.last_attempt_at, language)}</dd>
        </div>
      ) : null}
      <div>
        <dt>{t('calls.next')}</dt>
        <dd data-testid="call-next">{call.due_now ? t('calls.dueNow') : formatDateTime(call.next_call_at, language)}</dd>
      </div>
      {call.held_by ? (
        <div>
          <dt>{t('calls.heldBy')}</dt>
          <dd data-testid="call-holder">
            {call.held_by_me ? t('calls.heldByMe') : call.held_by} · {t('calls.until', { time: formatDateTime(call.held_until ?? call.next_call_at, language) })}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

function VerificationCall({ complaint, call }: { complaint: Complaint; call: QueuedCall }) {
  const { t } = useI18n();
  const reveal = useRevealPhone(complaint.id);
  const mutation = useTransition(complaint);
  const claim = useClaimCall();
  const release = useReleaseCall();
  const callBack = useCallBack();
  const [when, setWhen] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const phone = reveal.data?.phone ?? complaint.applicant.phone;
  const p: ActionProps = {
    complaint,
    mutation,
    run: (_kind, body) => mutation.mutate(body, { onSuccess: () => setDone(body.type === 'record_call' ? body.outcome : null) }),
    error: (_kind, ...fields) => serverFieldError(mutation.error, ...fields),
    busy: () => mutation.isPending,
  };
  if (done) {
    return (
      <p className="notice notice--success" role="status">
        {t('verify.recorded', { outcome: t(`outcome.${done}` as 'outcome.satisfied') })}
      </p>
    );
  }
  const takenByOther = call.held_by !== null && call.held_by !== undefined && !call.held_by_me;
  function onCallBack(event: FormEvent) {
    event.preventDefault();
    const at = cityLocalToIso(when);
    if (at) callBack.mutate({ id: complaint.id, at });
  }
  return (
    <div className="verify">
      <p className="actions">
        {call.held_by_me ? (
          <button type="button" className="button button--secondary" onClick={() => release.mutate(complaint.id)} disabled={release.isPending} data-testid="release-call">
            {t('calls.release')}
          </button>
        ) : (
          <button type="button" className="button button--primary" onClick={() => claim.mutate(complaint.id)} disabled={claim.isPending || takenByOther} data-testid="claim-call">
            {t('calls.claim')}
          </button>
        )}
      </p>
      {claim.isError ? <ErrorNotice error={claim.error} /> : null}
      {release.isError ? <ErrorNotice error={release.error} /> : null}
      <details>
        <summary>{t('verify.script')}</summary>
        <ol className="script">
          <li>{t('verify.script1', { name: complaint.applicant.name ?? t('verify.resident') })}</li>
          <li>{t('verify.script2', { number: complaint.number })}</li>
          <li>{t('verify.script3')}</li>
          <li>{t('verify.script4')}</li>
          <li>{t('calls.script5')}</li>
        </ol>
      </details>
      <p className="phone">
        {complaint.applicant.name ? <span>{complaint.applicant.name} · </span> : null}
        <span data-testid="applicant-phone">{phone ?? t('complaint.noPhone')}</span>
        {complaint.applicant.phone_masked ? <RevealPhone reveal={reveal} /> : null}
      </p>
      {takenByOther ? null : <CallOutcomes {...p} />}
      {takenByOther ? null : (
        <form className="search" onSubmit={onCallBack} data-testid="call-back-form">
          <label>
            {t('calls.callBackAt')}{' '}
            <input type="datetime-local" className="field__input" value={when} onChange={(e) => setWhen(e.target.value)} required />
          </label>
          <button type="submit" className="button button--secondary" disabled={callBack.isPending}>
            {t('calls.callBack')}
          </button>
          {callBack.isError ? <ErrorNotice error={callBack.error} /> : null}
        </form>
      )}
    </div>
  );
}
