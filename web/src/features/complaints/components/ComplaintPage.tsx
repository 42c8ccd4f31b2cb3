import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { DueIn, RoundBadge, StatusBadge } from '@/components/Badges';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import { OPEN_STATUSES, type ActionKind, type Complaint, type ComplaintEvent, type DuplicateRef, type Me } from '@/lib/api/types';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { rolePath } from '@/lib/roles';
import { formatDateTime, formatMoney } from '@/lib/time';
import { DuplicateLinksPanel } from './DuplicateLinksPanel';
import { useUploadAttachments } from '../api/attachments';
import { useComplaint, useComplaintEvents, useRevealPhone } from '../api/queries';
import { Attachments } from './Attachments';
import { Clocks } from './Clocks';
import { HistoryExport } from './HistoryExport';
import { RevealPhone } from './RevealPhone';
import { ActionPanel } from './ActionPanel';
import { Timeline } from './Timeline';

export interface ComplaintLocationState {
  created?: boolean;
  duplicates?: DuplicateRef[];
  uploadFailed?: number;
}

function Phone({ complaint, canReveal }: { complaint: Complaint; canReveal: boolean }) {
  const { t } = useI18n();
  const reveal = useRevealPhone(complaint.id);
  const phone = reveal.data?.phone ?? complaint.applicant.phone;
  if (!phone) return <>{t('complaint.noPhone')}</>;
  return (
    <span className="phone">
      <span data-testid="applicant-phone">{phone}</span>
      {complaint.applicant.phone_masked && canReveal ? <RevealPhone reveal={reveal} /> : null}
    </span>
  );
}

function Fines({ events }: { events: ComplaintEvent[] }) {
  const { t, language } = useI18n();
  const fines = events.filter((e) => e.kind === 'record_fine');
  if (fines.length === 0) return null;
  return (
    <div data-testid="fines">
      <dt>{t('complaint.fines')}</dt>
      <dd>
        <ul className="plain-list">
          {fines.map((f) => {
            const d = f.details as { amount_rub?: number; legal_basis?: string };
            return (
              <li key={f.id}>
                {t('complaint.fineLine', {
                  amount: formatMoney(d.amount_rub ?? 0, language),
                  basis: d.legal_basis ?? '',
                  date: formatDateTime(f.at, language),
                })}
              </li>
            );
          })}
        </ul>
      </dd>
    </div>
  );
}

/** One complaint: its facts and deadlines, what the caller may do, and the full history. */
export function ComplaintPage({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const state = (useLocation().state ?? {}) as ComplaintLocationState;
  const complaint = useComplaint(id);
  const events = useComplaintEvents(id);
  const [done, setDone] = useState<ActionKind | null>(null);
  // Photos of the work, sent after "report done" succeeds (the server decides their kind).
  const workPhotos = useUploadAttachments(id);

  if (complaint.isPending) return <Loading />;
  if (complaint.isError) return <ErrorNotice error={complaint.error} onRetry={() => void complaint.refetch()} />;

  const c = complaint.data;
  const open = OPEN_STATUSES.includes(c.status);
  const title = t('complaint.title', { number: c.number });
  return (
    <div className="complaint-page" data-testid="complaint-page" data-status={c.status} data-round={c.round}>
      <p>
        <Link to={rolePath(me.role)}>{t('complaint.back')}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>

      {state.created ? (
        <div className="notice notice--success" role="status" data-testid="created-notice">
          <p className="notice__title">{t('complaint.created', { number: c.number })}</p>
          <p>{t('complaint.createdText')}</p>
          {state.duplicates && state.duplicates.length > 0 ? <Duplicates items={state.duplicates} /> : null}
        </div>
      ) : null}
      {state.uploadFailed ? (
        <p className="notice notice--error" role="alert">
          {t('attachments.someFailed', { count: state.uploadFailed })}
        </p>
      ) : null}
      {workPhotos.isError ? <ErrorNotice error={workPhotos.error} title={t('attachments.workFailed')} /> : null}
      {done ? (
        <p className="notice notice--success" role="status" data-testid="done-notice">
          {t('complaint.actionDone', { action: t(`action.${done}.title` as MessageKey) })}
        </p>
      ) : null}

      <div className="badges" data-testid="complaint-badges">
        <StatusBadge status={c.status} />
        <RoundBadge round={c.round} urgent={c.urgent && open} />
        {c.overdue ? <span className="badge badge--overdue">{t('complaint.overdue')}</span> : null}
        {c.paused ? <span className="badge badge--muted">{t('complaint.paused')}</span> : null}
        {c.is_test ? <span className="badge badge--muted">{t('complaint.test')}</span> : null}
      </div>

      <div className="complaint-layout">
        <section className="card" aria-labelledby="facts-title">
          <h2 id="facts-title">{t('complaint.facts')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('complaint.category')}</dt>
              <dd>
                {language === 'ru' ? c.category.name_ru : c.category.name_en}
                {c.category.emergency ? <span className="badge badge--emergency">{t('complaint.emergency')}</span> : null}
              </dd>
            </div>
            <div>
              <dt>{t('complaint.address')}</dt>
              <dd>
                {c.building.address}
                {c.flat ? t('complaint.flatSuffix', { flat: c.flat }) : ''}
                <span className="muted"> · {t('address.district', { district: c.building.district })}</span>
              </dd>
            </div>
            <div>
              <dt>{t('complaint.description')}</dt>
              <dd className="pre-wrap">{c.description}</dd>
            </div>
            <DuplicateLinksPanel id={c.id} />
            <div>
              <dt>{t('complaint.round')}</dt>
              <dd data-testid="complaint-round">{t('complaint.roundValue', { round: c.round })}</dd>
            </div>
            <div>
              <dt>{t('complaint.company')}</dt>
              <dd data-testid="complaint-company">{c.company?.name ?? t('complaint.noCompany')}</dd>
            </div>
            {c.executor ? (
              <div>
                <dt>{t('complaint.executor')}</dt>
                <dd>{c.executor}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t('complaint.registered')}</dt>
              <dd>{formatDateTime(c.registered_at, language)}</dd>
            </div>
            <div>
              <dt>{t('complaint.dueAt')}</dt>
              <dd>
                <DueIn due={c.due_at} paused={c.paused} done={!open} />
              </dd>
            </div>
            <div>
              <dt>{t('complaint.answerDueAt')}</dt>
              <dd>
                <DueIn due={c.answer_due_at} done={!open} />
              </dd>
            </div>
            {c.closed_at ? (
              <div>
                <dt>{t('complaint.closedAt')}</dt>
                <dd>{formatDateTime(c.closed_at, language)}</dd>
              </div>
            ) : null}
            {c.applicant.name || c.applicant.phone ? (
              <div>
                <dt>{t('complaint.applicant')}</dt>
                <dd>
                  {c.applicant.name ? <span>{c.applicant.name} · </span> : null}
                  <Phone complaint={c} canReveal={c.can_reveal_phone} />
                </dd>
              </div>
            ) : null}
            {c.order ? (
              <div data-testid="order">
                <dt>{t('complaint.order')}</dt>
                <dd>
                  <p className="pre-wrap">{c.order.text}</p>
                  <p>
                    {t('complaint.orderDue')}: <DueIn due={c.order.due_at} done={c.order.complied !== null && c.order.complied !== undefined} />
                  </p>
                  <p>
                    {c.order.complied === true
                      ? t('complaint.orderComplied')
                      : c.order.complied === false
                        ? t('complaint.orderNotComplied')
                        : t('complaint.orderPending')}
                  </p>
                </dd>
              </div>
            ) : null}
            {events.data ? <Fines events={events.data} /> : null}
          </dl>
        </section>

        {/* A new version starts with empty forms. */}
        <ActionPanel key={c.version} complaint={c} onDone={setDone} onFiles={(files) => workPhotos.mutate({ files })} />
      </div>

      <Clocks clocks={c.clocks} />

      <Attachments complaintId={c.id} canUpload={c.can_attach} />

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t('complaint.history')}</h2>
        {events.isPending ? <Loading /> : null}
        {events.isError ? <ErrorNotice error={events.error} onRetry={() => void events.refetch()} /> : null}
        {events.data ? <Timeline events={events.data} /> : null}
        <HistoryExport id={c.id} number={c.number} />
      </section>
    </div>
  );
}

export function Duplicates({ items }: { items: DuplicateRef[] }) {
  const { t, language } = useI18n();
  return (
    <div data-testid="duplicates">
      <p>{t('complaint.duplicates')}</p>
      <ul>
        {items.map((d) => (
          <li key={d.id}>
            {d.number} · {t(`status.${d.status}`)} · {formatDateTime(d.registered_at, language)}
          </li>
        ))}
      </ul>
    </div>
  );
}
