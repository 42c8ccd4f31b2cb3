import { useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { Meta } from '@/lib/api/types';

export const metaQueryKey = ['meta'] as const;

export function fetchMeta(): Promise<Meta> {
  return call(api.GET('/api/v1/meta'));
}

/** GET /api/v1/meta: public facts about this deployment (pilot mode, city, version, the version of the consent text). */
export function useMeta() {
  return useQuery({ queryKey: metaQueryKey, queryFn: fetchMeta, staleTime: Infinity });
}

/** The version of the consent text (152-FZ) the server takes now; `undefined` until meta loads. */
export function useConsentVersion(): string | undefined {
  return useMeta().data?.consent_version;
}
