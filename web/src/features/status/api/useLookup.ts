import { useMutation } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { PublicStatus } from '@/lib/api/types';

/** POST /api/v1/public/complaints/lookup: the status by number and PIN, no account needed. */
export function useLookup() {
  return useMutation({
    mutationFn: (body: { number: string; pin: string }): Promise<PublicStatus> =>
      call(api.POST('/api/v1/public/complaints/lookup', { body })),
  });
}
