import type { ReactNode } from 'react';
import { DataTable, type Column } from '@/components/DataTable';
import { ErrorNotice } from '@/components/ErrorNotice';
import { LoadMore } from '@/components/LoadMore';
import { Loading } from '@/components/Loading';

interface ListState {
  isPending: boolean;
  isSuccess: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => Promise<unknown>;
}

interface Props<T> {
  /** The id of the section's heading. */
  id: string;
  title: string;
  list: ListState;
  items: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => Record<`data-${string}`, string>;
  tableTestId?: string;
  /** Filters above the table. */
  toolbar?: ReactNode;
  /** An action on the rows (deactivate, revoke) that failed. */
  actionError?: { isError: boolean; error: unknown };
  /** Shown once the list has loaded empty. */
  empty?: string;
  /** A keyset list: "Show more" under the table. */
  pages?: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
}

/** A registry's list on an admin page: heading, filters, loading and errors, the table, more pages. */
export function AdminList<T>({ id, title, list, items, columns, rowKey, rowProps, tableTestId, toolbar, actionError, empty, pages }: Props<T>) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {toolbar}
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {actionError?.isError ? <ErrorNotice error={actionError.error} /> : null}
      {empty !== undefined && list.isSuccess && items.length === 0 ? <p>{empty}</p> : null}
      {items.length > 0 ? (
        <DataTable labelledBy={id} columns={columns} rows={items} rowKey={rowKey} rowProps={rowProps} testId={tableTestId} />
      ) : null}
      {pages ? <LoadMore list={pages} /> : null}
    </section>
  );
}

/** A small button in a table row; `name` (read out, not shown) says which row it acts on. */
export function RowButton({ label, name, onClick, disabled, danger }: { label: string; name: string; onClick: () => void; disabled?: boolean; danger?: boolean }) {
  return (
    <button type="button" className={`button button--small${danger ? ' button--danger' : ''}`} disabled={disabled} onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}
