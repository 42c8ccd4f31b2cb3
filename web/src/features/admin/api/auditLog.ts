import { useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import { fetchAllPages, useKeysetPages } from '@/lib/api/keyset';
import type { AuditLogQuery } from '@/lib/api/types';

/** The audit log's filter: actor, action, complaint and period (RFC 3339); empty fields are left out. */
export type AuditFilter = Pick<AuditLogQuery, 'actor_id' | 'action' | 'complaint_id' | 'from' | 'to'>;

function clean(filter: AuditFilter): AuditFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== null && v !== '')) as AuditFilter;
}

/** GET /api/v1/admin/audit-log: newest first, a page at a time. */
export function useAuditLog(filter: AuditFilter) {
  const query = clean(filter);
  return useKeysetPages({
    queryKey: ['admin', 'audit-log', query],
    fetchPage: (cursor) => call(api.GET('/api/v1/admin/audit-log', { params: { query: { limit: 50, ...query, ...cursor } } })),
    keepPrevious: true,
  });
}

/** GET /api/v1/admin/audit-log/csv: the same filter as a CSV file (UTF-8 with a BOM, `;`), saved by the browser. */
export async function downloadAuditCsv(filter: AuditFilter): Promise<void> {
  const blob = (await call(
    api.GET('/api/v1/admin/audit-log/csv', { params: { query: clean(filter) }, parseAs: 'blob' }),
  )) as unknown as Blob;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `audit-log-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Every account with a staff role, for the actor filter (all pages of GET /api/v1/admin/users). */
export function useStaff() {
  return useQuery({
    queryKey: ['admin', 'users', 'all'],
    queryFn: () => fetchAllPages((cursor) => call(api.GET('/api/v1/admin/users', { params: { query: { limit: 200, ...cursor } } }))),
    staleTime: 5 * 60 * 1000,
  });
}
