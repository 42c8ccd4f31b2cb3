import { useMutation, useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { EraseMyDataRequest, ErasePersonRequest, ErasureReport, ExportPersonRequest, RetentionReport } from '@/lib/api/types';

/** GET /api/v1/me/export (or `.pdf`): everything held about the resident, as a file to save. */
export async function downloadMyData(format: 'json' | 'html' | 'pdf'): Promise<Blob> {
  if (format === 'pdf') return call(api.GET('/api/v1/me/export.pdf', { parseAs: 'blob' })) as Promise<Blob>;
  return call(api.GET('/api/v1/me/export', { params: { query: { format } }, parseAs: 'blob' })) as Promise<Blob>;
}

/** POST /api/v1/me/erasure: withdraw consent or ask for erasure; the account is closed. */
export function useEraseMyData() {
  return useMutation({
    mutationFn: (body: EraseMyDataRequest): Promise<ErasureReport> => call(api.POST('/api/v1/me/erasure', { body })),
  });
}

/** POST /api/v1/persons/export: a clerk's or an administrator's export for a person without an account. */
export async function downloadPersonData(body: ExportPersonRequest): Promise<Blob> {
  return call(api.POST('/api/v1/persons/export', { body, parseAs: 'blob' })) as Promise<Blob>;
}

/** POST /api/v1/persons/erasure: erasure for a person without an account, with the reason audited. */
export function useErasePersonData() {
  return useMutation({
    mutationFn: (body: ErasePersonRequest): Promise<ErasureReport> => call(api.POST('/api/v1/persons/erasure', { body })),
  });
}

/** GET /api/v1/admin/retention: the schedule, what the worker erased or deleted, and what is due next. */
export function useRetentionReport() {
  return useQuery({
    queryKey: ['admin', 'retention'],
    queryFn: (): Promise<RetentionReport> => call(api.GET('/api/v1/admin/retention')),
  });
}
