import type { Status } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { useNow } from '@/lib/hooks/useNow';
import { countdown, formatDateTime } from '@/lib/time';

const TONE: Record<Status, string> = {
  registered: 'new',
  needs_routing: 'warn',
  in_progress: 'work',
  awaiting_verification: 'check',
  under_inspection: 'warn',
  closed: 'done',
  closed_unconfirmed: 'done',
  withdrawn: 'muted',
  rejected: 'muted',
};

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--${TONE[status]}`} data-testid="status-badge" data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

/** Round 2 and later are repeat rounds: urgent, and shown loudly. */
export function RoundBadge({ round, urgent }: { round: number; urgent?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {round >= 2 ? (
        <span className="badge badge--round" data-testid="round-badge">
          {t('complaint.roundBadge', { round })}
        </span>
      ) : null}
      {urgent ? (
        <span className="badge badge--urgent" data-testid="urgent-badge">
          {t('complaint.urgent')}
        </span>
      ) : null}
    </>
  );
}

/** A deadline with its countdown: "3 h left", red when overdue. */
export function DueIn({ due, paused, done }: { due: string | null | undefined; paused?: boolean; done?: boolean }) {
  const i18n = useI18n();
  const now = useNow();
  if (!due) return <span className="muted">{i18n.t('complaint.noDeadline')}</span>;
  const when = formatDateTime(due, i18n.language);
  if (done) return <time dateTime={due}>{when}</time>;
  const { overdue, text } = countdown(due, now, i18n);
  return (
    <span className={`due${overdue ? ' due--overdue' : ''}`} data-testid="due">
      <time dateTime={due}>{when}</time>{' '}
      <span className="due__left">{paused ? i18n.t('complaint.paused') : text}</span>
    </span>
  );
}
