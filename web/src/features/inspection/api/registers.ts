import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import { useKeysetPages } from '@/lib/api/keyset';
import type { Offender, OrderStatus } from '@/lib/api/types';

/** The register of orders' filter; empty fields are left out. */
export interface OrderFilter {
  status?: OrderStatus;
  company_id?: string;
  from?: string;
  to?: string;
}

/** The register of fines' filter; empty fields are left out. */
export interface FineFilter {
  article?: string;
  offender?: Offender;
  company_id?: string;
  from?: string;
  to?: string;
}

/** The register of inspection acts' filter; empty fields are left out. */
export interface ActFilter {
  violation?: boolean;
  company_id?: string;
  from?: string;
  to?: string;
}

function clean<T extends object>(filter: T): T {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
}

/** GET /api/v1/registers/orders: newest first, a page at a time, with totals under the filter. */
export function useOrderRegister(filter: OrderFilter) {
  const query = clean(filter);
  return useKeysetPages({
    queryKey: ['registers', 'orders', query],
    fetchPage: (cursor) => call(api.GET('/api/v1/registers/orders', { params: { query: { limit: 50, ...query, ...cursor } } })),
    keepPrevious: true,
  });
}

/** GET /api/v1/registers/fines: newest first, a page at a time, with totals under the filter. */
export function useFineRegister(filter: FineFilter) {
  const query = clean(filter);
  return useKeysetPages({
    queryKey: ['registers', 'fines', query],
    fetchPage: (cursor) => call(api.GET('/api/v1/registers/fines', { params: { query: { limit: 50, ...query, ...cursor } } })),
    keepPrevious: true,
  });
}

/** GET /api/v1/registers/acts: newest first, a page at a time, with totals under the filter. */
export function useActRegister(filter: ActFilter) {
  const query = clean(filter);
  return useKeysetPages({
    queryKey: ['registers', 'acts', query],
    fetchPage: (cursor) => call(api.GET('/api/v1/registers/acts', { params: { query: { limit: 50, ...query, ...cursor } } })),
    keepPrevious: true,
  });
}

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The register under the same filter as a CSV file (UTF-8 with a BOM, `;`), saved by the browser. */
export async function downloadRegisterCsv(kind: 'orders' | 'fines' | 'acts', filter: OrderFilter | FineFilter | ActFilter): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  const blob =
    kind === 'orders'
      ? await call(api.GET('/api/v1/registers/orders.csv', { params: { query: clean(filter as OrderFilter) }, parseAs: 'blob' }))
      : kind === 'fines'
        ? await call(api.GET('/api/v1/registers/fines.csv', { params: { query: clean(filter as FineFilter) }, parseAs: 'blob' }))
        : await call(api.GET('/api/v1/registers/acts.csv', { params: { query: clean(filter as ActFilter) }, parseAs: 'blob' }));
  save(blob as unknown as Blob, `${kind}-${day}.csv`);
}

/** GET /api/v1/orders/{id}/document.pdf, opened in a new tab (the request carries the session's token). */
export async function openOrderPdf(id: string): Promise<void> {
  const blob = (await call(
    api.GET('/api/v1/orders/{id}/document.pdf', { params: { path: { id } }, parseAs: 'blob' }),
  )) as unknown as Blob;
  const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
  if (!window.open(url, '_blank')) save(blob, `order-${id}.pdf`);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** GET /api/v1/acts/{id}/document.pdf, opened in a new tab (the request carries the session's token). */
export async function openActPdf(id: string): Promise<void> {
  const blob = (await call(
    api.GET('/api/v1/acts/{id}/document.pdf', { params: { path: { id } }, parseAs: 'blob' }),
  )) as unknown as Blob;
  const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
  if (!window.open(url, '_blank')) save(blob, `act-${id}.pdf`);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** GET /api/v1/orders/{id}/document.html: the same document's text as a page, for the preview. */
export function useOrderPreview(id: string | null) {
  return useQuery({
    queryKey: ['orders', id, 'document.html'],
    enabled: id !== null,
    queryFn: async () =>
      (await call(api.GET('/api/v1/orders/{id}/document.html', { params: { path: { id: id ?? '' } }, parseAs: 'text' }))) as unknown as string,
  });
}

/** GET /api/v1/inspection/visits: the signed-in inspector's visits in [from, to). */
export function useVisits(from: string, to: string) {
  return useQuery({
    queryKey: ['inspection', 'visits', from, to],
    queryFn: () => call(api.GET('/api/v1/inspection/visits', { params: { query: { from, to } } })),
  });
}

/** GET /api/v1/complaints?status=under_inspection: what a visit may be scheduled for (first 100). */
export function useUnderInspection() {
  return useQuery({
    queryKey: ['complaints', 'under_inspection', 'for-visits'],
    queryFn: () => call(api.GET('/api/v1/complaints', { params: { query: { status: 'under_inspection', limit: 100 } } })),
  });
}

/** POST /api/v1/complaints/{id}/visits: a visit still to come (422 on `at` otherwise). */
export function useScheduleVisit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ complaintId, at, note }: { complaintId: string; at: string; note: string }) =>
      call(api.POST('/api/v1/complaints/{id}/visits', { params: { path: { id: complaintId } }, body: { at, note } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['inspection', 'visits'] }),
  });
}
