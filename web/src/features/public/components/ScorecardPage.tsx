import { Link } from 'react-router';
import { DataTable } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import { useI18n } from '@/lib/i18n';
import { formatDateTime, formatMoney } from '@/lib/time';
import { useScorecard } from '../api/queries';

function pct(value: number | null | undefined, dash: string): string {
  return value === null || value === undefined ? dash : `${Math.round(value)}%`;
}

/** A bar of a percentage, drawn in CSS (no chart library). */
function Bar({ value, label, tone }: { value: number | null | undefined; label: string; tone: 'good' | 'bad' }) {
  const width = value === null || value === undefined ? 0 : Math.max(0, Math.min(100, value));
  return (
    <div className="bar" role="img" aria-label={label}>
      <span className={`bar__fill bar__fill--${tone}`} style={{ width: `${width}%` }} />
    </div>
  );
}

/** The public scorecard: complaints, deadlines, repeat rounds, inspections and fines per company. */
export function ScorecardPage() {
  const { t, language } = useI18n();
  const scorecard = useScorecard();
  const dash = t('score.notPublished');
  return (
    <div data-testid="scorecard-page">
      <PageHeading title={t('score.title')} focus={false}>
        {t('score.title')}
      </PageHeading>
      <p className="lead">{t('score.lead')}</p>
      <p>
        <Link to="/map">{t('score.mapLink')}</Link>
      </p>
      {scorecard.data?.test_data ? (
        <p className="badge badge--test" data-testid="scorecard-test-data">
          {t('score.testData')}
        </p>
      ) : null}
      {scorecard.isPending ? <Loading /> : null}
      {scorecard.isError ? <ErrorNotice error={scorecard.error} onRetry={() => void scorecard.refetch()} /> : null}
      {scorecard.data ? (
        <>
          <section className="card" aria-labelledby="city-title">
            <h2 id="city-title">{t('score.city')}</h2>
            <dl className="stats">
              {(['received', 'open', 'closed', 'overdue', 'inspections', 'orders', 'fines'] as const).map((key) => (
                <div key={key}>
                  <dt>{t(`score.${key}`)}</dt>
                  <dd>{scorecard.data.city[key]}</dd>
                </div>
              ))}
              <div>
                <dt>{t('score.finesTotal')}</dt>
                <dd>{formatMoney(scorecard.data.city.fines_total_rub, language)}</dd>
              </div>
            </dl>
          </section>

          <section className="card" aria-labelledby="chart-title">
            <h2 id="chart-title">{t('score.chart')}</h2>
            <p className="muted">{t('score.minVolume', { n: scorecard.data.min_volume })}</p>
            <ul className="chart">
              {scorecard.data.companies.map((c) => (
                <li key={c.company_id} className="chart__row">
                  <span className="chart__name">{c.company_name}</span>
                  <span className="chart__bars">
                    <span className="chart__line">
                      <span className="chart__label">{t('score.onTime')}</span>
                      <Bar value={c.on_time_pct} tone="good" label={t('score.barLabel', { what: t('score.onTime'), value: pct(c.on_time_pct, dash) })} />
                      <span className="chart__value">{pct(c.on_time_pct, dash)}</span>
                    </span>
                    <span className="chart__line">
                      <span className="chart__label">{t('score.reopened')}</span>
                      <Bar value={c.reopened_pct} tone="bad" label={t('score.barLabel', { what: t('score.reopened'), value: pct(c.reopened_pct, dash) })} />
                      <span className="chart__value">{pct(c.reopened_pct, dash)}</span>
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          </section>

          <section className="card" aria-labelledby="table-title">
            <h2 id="table-title">{t('score.table')}</h2>
            <DataTable
              labelledBy="table-title"
              testId="scorecard-table"
              rows={scorecard.data.companies}
              rowKey={(c) => c.company_id}
              columns={[
                { key: 'company', header: t('complaint.company'), rowHeader: true, cell: (c) => c.company_name },
                { key: 'received', header: t('score.received'), cell: (c) => c.received },
                { key: 'open', header: t('score.open'), cell: (c) => c.open },
                { key: 'overdue', header: t('score.overdue'), cell: (c) => c.overdue },
                { key: 'onTime', header: t('score.onTime'), cell: (c) => pct(c.on_time_pct, dash) },
                { key: 'reopened', header: t('score.reopened'), cell: (c) => pct(c.reopened_pct, dash) },
                { key: 'satisfied', header: t('score.satisfied'), cell: (c) => pct(c.satisfied_pct, dash) },
                { key: 'inspections', header: t('score.inspections'), cell: (c) => c.inspections },
                { key: 'orders', header: t('score.orders'), cell: (c) => c.orders },
                {
                  key: 'fines',
                  header: t('score.fines'),
                  cell: (c) => (
                    <>
                      {c.fines}
                      {c.fines > 0 ? ` (${formatMoney(c.fines_total_rub, language)})` : ''}
                    </>
                  ),
                },
              ]}
            />
            <p className="muted">{t('score.generated', { at: formatDateTime(scorecard.data.generated_at, language) })}</p>
          </section>
        </>
      ) : null}
    </div>
  );
}
