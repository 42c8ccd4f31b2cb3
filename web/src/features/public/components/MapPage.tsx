import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { StatusBadge } from '@/components/Badges';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import { OPEN_STATUSES } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { formatDate } from '@/lib/time';
import { usePublicComplaints } from '../api/queries';
import type { MapPoint } from './MapView';

const MapView = lazy(() => import('./MapView'));

/** The public map and list of anonymised complaints: where, what, which company, how it goes. */
export function MapPage() {
  const { t, language } = useI18n();
  const [onlyOpen, setOnlyOpen] = useState(true);
  const list = usePublicComplaints(onlyOpen ? OPEN_STATUSES.join(',') : undefined);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const points = useMemo<MapPoint[]>(
    () =>
      items
        .filter((c) => typeof c.latitude === 'number' && typeof c.longitude === 'number')
        .map((c) => ({
          key: c.number,
          latitude: c.latitude as number,
          longitude: c.longitude as number,
          overdue: c.overdue,
          label: `${c.number}: ${language === 'ru' ? c.category_name_ru : c.category_name_en}, ${c.address}`,
        })),
    [items, language],
  );

  return (
    <div data-testid="map-page">
      <PageHeading title={t('map.title')} focus={false}>
        {t('map.title')}
      </PageHeading>
      <p className="lead">{t('map.lead')}</p>
      <p>
        <Link to="/scorecard">{t('map.scoreLink')}</Link>
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} />
        <span>{t('map.onlyOpen')}</span>
      </label>
      <Suspense fallback={<Loading />}>
        <MapView points={points} label={t('map.mapLabel')} />
      </Suspense>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data ? (
        <section aria-labelledby="map-list">
          <h2 id="map-list">{t('map.list', { n: items.length })}</h2>
          {items.length === 0 ? <p className="muted">{t('map.empty')}</p> : null}
          <ul className="crows">
            {items.map((c) => (
              <li key={c.number} className={`crow${c.overdue ? ' crow--overdue' : ''}`} data-testid="public-row">
                <div className="crow__head">
                  <span className="crow__number">{c.number}</span>
                  <StatusBadge status={c.status} />
                  {c.round >= 2 ? <span className="badge badge--round">{t('complaint.roundBadge', { round: c.round })}</span> : null}
                  {c.overdue ? <span className="badge badge--overdue">{t('complaint.overdue')}</span> : null}
                  {c.test_data ? <span className="badge badge--test">{t('map.testBadge')}</span> : null}
                </div>
                <p className="crow__what">
                  <strong>{language === 'ru' ? c.category_name_ru : c.category_name_en}</strong>
                </p>
                <p className="crow__where">
                  {c.address} · {t('address.district', { district: c.district })}
                </p>
                <dl className="crow__facts">
                  <div>
                    <dt>{t('complaint.company')}</dt>
                    <dd>{c.company_name ?? t('complaint.noCompany')}</dd>
                  </div>
                  <div>
                    <dt>{t('complaint.registered')}</dt>
                    <dd>{formatDate(c.registered_at, language)}</dd>
                  </div>
                </dl>
              </li>
            ))}
          </ul>
          {list.hasNextPage ? (
            <button type="button" className="button button--secondary" onClick={() => void list.fetchNextPage()}>
              {t('list.more')}
            </button>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
