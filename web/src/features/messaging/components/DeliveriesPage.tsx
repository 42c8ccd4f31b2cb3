import { useState } from 'react';
import { DataTable } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { LoadMore } from '@/components/LoadMore';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import { NO_ITEMS } from '@/lib/api/keyset';
import type { Channel, DailyRow, Delivery, DeliveryState } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { useDailyDeliveries, useDeliveries, type DeliveryFilters } from '../api/queries';
import { lastTwoWeeks } from '../lib/days';

const CHANNELS: readonly Channel[] = ['sms', 'email'];
const STATES: readonly DeliveryState[] = ['queued', 'sent', 'delivered', 'failed', 'suppressed'];
const STATE_BADGE: Record<DeliveryState, string> = {
  queued: 'badge--new',
  sent: 'badge--work',
  delivered: 'badge--done',
  failed: 'badge--overdue',
  suppressed: 'badge--muted',
};

function Filters({ filters, onChange }: { filters: DeliveryFilters; onChange: (f: DeliveryFilters) => void }) {
  const { t } = useI18n();
  return (
    <div className="messaging-filters" role="group" aria-label={t('deliveries.filters')}>
      <div className="field">
        <label htmlFor="filter-channel" className="field__label">
          {t('deliveries.channel')}
        </label>
        <select
          id="filter-channel"
          className="field__input"
          value={filters.channel ?? ''}
          onChange={(e) => onChange({ ...filters, channel: (e.target.value || undefined) as Channel | undefined })}
        >
          <option value="">{t('deliveries.any')}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`messaging.channel.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-state" className="field__label">
          {t('deliveries.state')}
        </label>
        <select
          id="filter-state"
          className="field__input"
          value={filters.state ?? ''}
          onChange={(e) => onChange({ ...filters, state: (e.target.value || undefined) as DeliveryState | undefined })}
        >
          <option value="">{t('deliveries.any')}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(`deliveries.state.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-day" className="field__label">
          {t('deliveries.day')}
        </label>
        <input id="filter-day" type="date" className="field__input" value={filters.day ?? ''} onChange={(e) => onChange({ ...filters, day: e.target.value || undefined })} />
      </div>
    </div>
  );
}

function DeliveryLog() {
  const { t, language } = useI18n();
  const [filters, setFilters] = useState<DeliveryFilters>({});
  const list = useDeliveries(filters);
  const items = list.data?.items ?? NO_ITEMS;
  return (
    <section className="card" aria-labelledby="log-title">
      <h2 id="log-title">{t('deliveries.log')}</h2>
      <Filters filters={filters} onChange={setFilters} />
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 ? <p>{t('deliveries.empty')}</p> : null}
      {items.length > 0 ? (
        <DataTable<Delivery>
          labelledBy="log-title"
          testId="delivery-table"
          rows={items}
          rowKey={(d) => d.id}
          rowProps={(d) => ({ 'data-testid': 'delivery-row', 'data-state': d.state, 'data-channel': d.channel })}
          columns={[
            { key: 'at', header: t('deliveries.at'), cell: (d) => formatDateTime(d.created_at, language) },
            { key: 'kind', header: t('deliveries.kind'), cell: (d) => t(`messaging.kind.${d.kind}`) },
            { key: 'channel', header: t('deliveries.channel'), cell: (d) => t(`messaging.channel.${d.channel}`) },
            { key: 'to', header: t('deliveries.recipient'), cell: (d) => <span className="nowrap" data-testid="recipient">{d.recipient === '' ? t('deliveries.erased') : d.recipient}</span> },
            {
              key: 'state',
              header: t('deliveries.state'),
              cell: (d) => (
                <>
                  <span className={`badge ${STATE_BADGE[d.state]}`}>{t(`deliveries.state.${d.state}`)}</span>
                  {d.receipt_status ? <small className="messaging-muted"> {d.receipt_status}</small> : null}
                </>
              ),
            },
            { key: 'attempts', header: t('deliveries.attempts'), cell: (d) => d.attempts },
            { key: 'segments', header: t('deliveries.segments'), cell: (d) => d.segments ?? '—' },
            {
              key: 'text',
              header: t('deliveries.text'),
              cell: (d) => (
                <>
                  {d.subject ? <strong>{d.subject}: </strong> : null}
                  <span className="messaging-text">{d.text}</span>
                  {d.error ? <p className="messaging-error">{t('deliveries.error', { error: d.error })}</p> : null}
                  {d.gateway_id ? <small className="messaging-muted">{t('deliveries.gatewayId', { id: d.gateway_id })}</small> : null}
                </>
              ),
            },
          ]}
        />
      ) : null}
      <LoadMore list={list} />
    </section>
  );
}

function DailyTable() {
  const { t } = useI18n();
  const [range, setRange] = useState(() => lastTwoWeeks(new Date()));
  const daily = useDailyDeliveries(range.from, range.to);
  const rows = daily.data?.days ?? NO_ITEMS;
  return (
    <section className="card" aria-labelledby="daily-title">
      <h2 id="daily-title">{t('deliveries.daily')}</h2>
      <div className="messaging-filters" role="group" aria-label={t('deliveries.period')}>
        <div className="field">
          <label htmlFor="daily-from" className="field__label">
            {t('deliveries.from')}
          </label>
          <input id="daily-from" type="date" className="field__input" value={range.from} max={range.to} onChange={(e) => e.target.value && setRange((r) => ({ ...r, from: e.target.value }))} />
        </div>
        <div className="field">
          <label htmlFor="daily-to" className="field__label">
            {t('deliveries.to')}
          </label>
          <input id="daily-to" type="date" className="field__input" value={range.to} min={range.from} onChange={(e) => e.target.value && setRange((r) => ({ ...r, to: e.target.value }))} />
        </div>
      </div>
      {daily.isPending ? <Loading /> : null}
      {daily.isError ? <ErrorNotice error={daily.error} onRetry={() => void daily.refetch()} /> : null}
      {daily.isSuccess && rows.length === 0 ? <p>{t('deliveries.noDays')}</p> : null}
      {rows.length > 0 ? (
        <DataTable<DailyRow>
          labelledBy="daily-title"
          testId="daily-table"
          rows={rows}
          rowKey={(r) => `${r.day}-${r.channel}`}
          rowProps={(r) => ({ 'data-testid': 'daily-row', 'data-channel': r.channel })}
          columns={[
            { key: 'day', header: t('deliveries.dayCol'), cell: (r) => r.day, rowHeader: true },
            { key: 'channel', header: t('deliveries.channel'), cell: (r) => t(`messaging.channel.${r.channel}`) },
            { key: 'pending', header: t('deliveries.state.queued'), cell: (r) => r.pending },
            { key: 'sent', header: t('deliveries.state.sent'), cell: (r) => r.sent },
            { key: 'delivered', header: t('deliveries.state.delivered'), cell: (r) => r.delivered },
            { key: 'failed', header: t('deliveries.state.failed'), cell: (r) => r.failed },
            { key: 'suppressed', header: t('deliveries.state.suppressed'), cell: (r) => r.suppressed },
            { key: 'segments', header: t('deliveries.segments'), cell: (r) => (r.channel === 'sms' ? r.segments : '—') },
          ]}
        />
      ) : null}
    </section>
  );
}

/** Administrator and city department: what went out by SMS and e-mail, recipients masked. */
export function DeliveriesPage() {
  const { t } = useI18n();
  const title = t('deliveries.title');
  return (
    <div data-testid="deliveries-page">
      <PageHeading title={title}>{title}</PageHeading>
      <p>{t('deliveries.lead')}</p>
      <DailyTable />
      <DeliveryLog />
    </div>
  );
}
