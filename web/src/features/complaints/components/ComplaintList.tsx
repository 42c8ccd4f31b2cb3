import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { DueIn, RoundBadge, StatusBadge } from '@/components/Badges';
import { ErrorNotice } from '@/components/ErrorNotice';
import { LoadMore } from '@/components/LoadMore';
import { Loading } from '@/components/Loading';
import { OPEN_STATUSES, type Complaint, type ComplaintQuery } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { useComplaints } from '../api/queries';
import { useLiveChanges } from '../hooks/useLiveChanges';
import { LiveMarker } from './LiveMarker';

interface Props {
  query: ComplaintQuery;
  /** Shown when nothing matches. */
  empty: string;
  label: string;
  showCompany?: boolean;
  /** Only these complaints of each page (a filter the API lacks). */
  filter?: (complaint: Complaint) => boolean;
  /** Extra content under each complaint (e.g. the call outcomes). */
  renderExtra?: (complaint: Complaint) => ReactNode;
  testId?: string;
  /** Watch for new and changed complaints and offer to show them ("N new"), without a jump. */
  live?: boolean;
}

export function ComplaintSummary({ complaint, showCompany }: { complaint: Complaint; showCompany?: boolean }) {
  const { t, language } = useI18n();
  const open = OPEN_STATUSES.includes(complaint.status);
  return (
    <>
      <div className="crow__head">
        <Link to={`/complaints/${complaint.id}`} className="crow__number" data-testid="complaint-link">
          {complaint.number}
        </Link>
        <StatusBadge status={complaint.status} />
        <RoundBadge round={complaint.round} urgent={complaint.urgent && open} />
        {complaint.overdue ? <span className="badge badge--overdue">{t('complaint.overdue')}</span> : null}
        {complaint.is_test ? <span className="badge badge--muted">{t('complaint.test')}</span> : null}
      </div>
      <p className="crow__what">
        <strong>{language === 'ru' ? complaint.category.name_ru : complaint.category.name_en}</strong>
        {complaint.category.emergency ? <span className="badge badge--emergency">{t('complaint.emergency')}</span> : null}
      </p>
      <p className="crow__where">
        {complaint.building.address}
        {complaint.flat ? t('complaint.flatSuffix', { flat: complaint.flat }) : ''}
      </p>
      <dl className="crow__facts">
        {showCompany ? (
          <div>
            <dt>{t('complaint.company')}</dt>
            <dd>{complaint.company?.name ?? t('complaint.noCompany')}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('complaint.registered')}</dt>
          <dd>{formatDateTime(complaint.registered_at, language)}</dd>
        </div>
        <div>
          <dt>{t('complaint.dueAt')}</dt>
          <dd>
            <DueIn due={complaint.due_at} paused={complaint.paused} done={!open} />
          </dd>
        </div>
      </dl>
    </>
  );
}

/** A list of complaints, a page at a time, with "Show more". */
export function ComplaintList({ query, empty, label, showCompany, filter, renderExtra, testId, live = false }: Props) {
  const { t } = useI18n();
  const list = useComplaints(query);
  const changes = useLiveChanges(query, list.data?.items, live && !list.isPending);

  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />;

  const items = filter ? list.data.items.filter(filter) : list.data.items;
  return (
    <div data-testid={testId}>
      <LiveMarker changes={changes} onShow={() => void list.refetch()} />
      <p className="muted" role="status" aria-live="polite">
        {items.length === 0 ? empty : t('list.shown', { n: items.length })}
      </p>
      {items.length > 0 ? (
        <ul className="crows" aria-label={label}>
          {items.map((complaint) => (
            <li
              key={complaint.id}
              className={`crow${complaint.overdue ? ' crow--overdue' : ''}${complaint.round >= 2 ? ' crow--repeat' : ''}`}
              data-testid="complaint-row"
              data-number={complaint.number}
            >
              <ComplaintSummary complaint={complaint} showCompany={showCompany} />
              {renderExtra ? renderExtra(complaint) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <LoadMore list={list} />
    </div>
  );
}
