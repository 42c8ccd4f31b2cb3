import type { ReactNode } from 'react';
import { DataTable, type Column } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { LoadMore } from '@/components/LoadMore';
import { Loading } from '@/components/Loading';
import { useI18n } from '@/lib/i18n';
import { formatMoney } from '@/lib/time';
import { cityLocalToIso } from '@/lib/time';

interface Totals {
  count: number;
  sum_rub: number;
}

interface Props<T> {
  id: string;
  list: {
    isPending: boolean;
    isSuccess: boolean;
    isError: boolean;
    error: unknown;
    refetch: () => Promise<unknown>;
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => Promise<unknown>;
  };
  items: readonly T[];
  totals: Totals | undefined;
  /** The totals' line of a register whose totals are not a sum of fines (shown instead). */
  summary?: string | undefined;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  testId: string;
  children?: ReactNode;
}

/** A date (YYYY-MM-DD) as the start of that day in the city, RFC 3339; `end` takes the next day's start. */
export function dayStart(date: string, end: boolean): string | undefined {
  if (!date) return undefined;
  const iso = cityLocalToIso(`${date}T00:00`);
  if (!iso) return undefined;
  return end ? new Date(Date.parse(iso) + 24 * 3600 * 1000).toISOString() : iso;
}

/** A register's table with its totals under the filter and "Show more". */
export function RegisterList<T>({ id, list, items, totals, summary, columns, rowKey, testId, children }: Props<T>) {
  const { t, language } = useI18n();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{t('registers.entries')}</h2>
      {summary !== undefined ? <p data-testid={`${testId}-totals`}>{summary}</p> : null}
      {summary === undefined && totals ? (
        <p data-testid={`${testId}-totals`}>{t('registers.totals', { count: String(totals.count), sum: formatMoney(totals.sum_rub, language) })}</p>
      ) : null}
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 ? <p>{t('registers.empty')}</p> : null}
      {items.length > 0 ? <DataTable labelledBy={id} columns={columns} rows={items} rowKey={rowKey} testId={testId} /> : null}
      <LoadMore list={list} />
      {children}
    </section>
  );
}
