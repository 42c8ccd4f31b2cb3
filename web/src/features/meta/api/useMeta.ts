import { useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { Meta } from '@/lib/api/types';

export const metaQueryKey = ['meta'] as const;

export function fetchMeta(): Promise<Meta> {
  return call(api.GET('/api/v1/meta'));
}

/** GET /api/v1/meta: public facts about this deployment (pilot mode, city, version). */
export function useMeta() {
  return useQuery({ queryKey: metaQueryKey, queryFn: fetchMeta, staleTime: Infinity });
}
