import { useMutation } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { EraseMyDataRequest, ErasureReport } from '@/lib/api/types';

/** GET /api/v1/me/export: everything held about the resident, as a file to save. */
export async function downloadMyData(format: 'json' | 'html'): Promise<Blob> {
  return call(api.GET('/api/v1/me/export', { params: { query: { format } }, parseAs: 'blob' })) as Promise<Blob>;
}

/** POST /api/v1/me/erasure: withdraw consent or ask for erasure; the account is closed. */
export function useEraseMyData() {
  return useMutation({
    mutationFn: (body: EraseMyDataRequest): Promise<ErasureReport> => call(api.POST('/api/v1/me/erasure', { body })),
  });
}
