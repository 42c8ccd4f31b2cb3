import { useMutation } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { PurgeTestDataRequest, PurgeTestDataResult } from '@/lib/api/types';

/** POST /api/v1/admin/test-data/purge: a dry run (counts per table) or the purge itself. */
export function usePurgeTestData() {
  return useMutation({
    mutationFn: (body: PurgeTestDataRequest): Promise<PurgeTestDataResult> =>
      call(api.POST('/api/v1/admin/test-data/purge', { body })),
  });
}
