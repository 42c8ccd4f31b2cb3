import type { Clock, ClockState } from '@/lib/api/types';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';

const BADGE: Record<ClockState, string> = {
  running: 'badge--work',
  paused: 'badge--muted',
  met: 'badge--done',
  missed: 'badge--overdue',
  stopped: 'badge--muted',
};

/** A complaint's legal clocks: which, on what basis, when due, and how each stands. */
export function Clocks({ clocks }: { clocks: Clock[] | null | undefined }) {
  const { t, language } = useI18n();
  if (!clocks) return null;
  return (
    <section className="card" aria-labelledby="clocks-title" data-testid="clocks">
      <h2 id="clocks-title">{t('clocks.title')}</h2>
      {clocks.length === 0 ? (
        <p>{t('clocks.none')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="clocks-title">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('clocks.clock')}</th>
              <th scope="col">{t('clocks.due')}</th>
              <th scope="col">{t('clocks.state')}</th>
              <th scope="col">{t('clocks.basis')}</th>
            </tr>
          </thead>
          <tbody>
            {clocks.map((clock) => (
              <tr key={`${clock.code}-${clock.round}`} data-testid={`clock-${clock.code}`} data-state={clock.state}>
                <td>
                  {t(`clock.${clock.code}` as MessageKey)}
                  {clock.round > 1 ? <span className="muted"> · {t('clocks.round', { round: clock.round })}</span> : null}
                </td>
                <td>{formatDateTime(clock.due_at, language)}</td>
                <td>
                  <span className={`badge ${BADGE[clock.state]}`}>{t(`clockState.${clock.state}` as MessageKey)}</span>
                  {clock.missed_at ? (
                    <span className="muted"> {t('clocks.missedAt', { at: formatDateTime(clock.missed_at, language) })}</span>
                  ) : clock.met_at ? (
                    <span className="muted"> {t('clocks.metAt', { at: formatDateTime(clock.met_at, language) })}</span>
                  ) : null}
                </td>
                <td className="muted">{clock.basis}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}
