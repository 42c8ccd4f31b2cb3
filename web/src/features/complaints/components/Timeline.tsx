import type { ComplaintEvent } from '@/lib/api/types';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { catalogues } from '@/lib/i18n';
import { formatDateTime, formatMoney } from '@/lib/time';

function has(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogues.ru, key);
}

/** Kind-specific details of an event, as short localised lines. */
function useDetails() {
  const { t, language } = useI18n();
  return (event: ComplaintEvent): string[] => {
    const d = (event.details ?? {}) as Record<string, unknown>;
    const lines: string[] = [];
    if (typeof d.outcome === 'string' && has(`outcome.${d.outcome}`)) lines.push(t('event.detail.outcome', { outcome: t(`outcome.${d.outcome}` as MessageKey) }));
    if (typeof d.attempt === 'number') lines.push(t('event.detail.attempt', { n: d.attempt }));
    if (typeof d.satisfied === 'boolean') lines.push(t(d.satisfied ? 'event.detail.satisfied' : 'event.detail.unsatisfied'));
    if (typeof d.executor === 'string') lines.push(t('event.detail.executor', { executor: d.executor }));
    if (typeof d.reason === 'string' && has(`reject.${d.reason}`)) lines.push(t('event.detail.reason', { reason: t(`reject.${d.reason}` as MessageKey) }));
    if (typeof d.violation === 'boolean') lines.push(t(d.violation ? 'event.detail.violation' : 'event.detail.noViolation'));
    if (typeof d.order_due_at === 'string') lines.push(t('event.detail.orderDue', { due: formatDateTime(d.order_due_at, language) }));
    if (typeof d.complied === 'boolean') lines.push(t(d.complied ? 'event.detail.complied' : 'event.detail.notComplied'));
    if (typeof d.amount_rub === 'number')
      lines.push(t('event.detail.fine', { amount: formatMoney(d.amount_rub, language), basis: typeof d.legal_basis === 'string' ? d.legal_basis : '' }));
    if (typeof d.answer_due_at === 'string') lines.push(t('event.detail.answerDue', { due: formatDateTime(d.answer_due_at, language) }));
    if (d.compliance_check === true) lines.push(t('event.detail.complianceCheck'));
    if (typeof d.on_time === 'boolean') lines.push(t(d.on_time ? 'event.detail.onTime' : 'event.detail.late'));
    if (d.auto_escalated === true) lines.push(t('event.detail.autoEscalated'));
    if (event.step_only) lines.push(t('event.detail.stepOnly'));
    return lines;
  };
}

export function eventKindName(kind: string, t: (key: MessageKey) => string): string {
  const key = `event.${kind}`;
  return has(key) ? t(key) : kind;
}

/** The complaint's history: every step, who did it, when, and what changed. */
export function Timeline({ events }: { events: ComplaintEvent[] }) {
  const { t, language } = useI18n();
  const details = useDetails();
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((event) => (
        <li key={event.id} className="timeline__item" data-kind={event.kind}>
          <p className="timeline__head">
            <strong>{eventKindName(event.kind, t)}</strong>{' '}
            <time dateTime={event.at} className="muted">
              {formatDateTime(event.at, language)}
            </time>
          </p>
          <p className="timeline__meta">
            {t(`role.${event.actor_role}.name`)}
            {event.on_behalf_of ? ` · ${t('event.onBehalfOf', { name: event.on_behalf_of })}` : ''}
            {' · '}
            {event.from && event.from !== event.to ? `${t(`status.${event.from}`)} → ` : ''}
            {t(`status.${event.to}`)}
            {' · '}
            {t('event.round', { round: event.round })}
          </p>
          {details(event).map((line) => (
            <p key={line} className="timeline__detail">
              {line}
            </p>
          ))}
          {event.comment ? <blockquote className="timeline__comment">{event.comment}</blockquote> : null}
        </li>
      ))}
    </ol>
  );
}
