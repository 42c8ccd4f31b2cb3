import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';

/** GET /api/v1/public/scorecard: each management company's record, for everyone. */
export function useScorecard() {
  return useQuery({
    queryKey: ['public', 'scorecard'],
    queryFn: () => call(api.GET('/api/v1/public/scorecard')),
    staleTime: 60_000,
  });
}

/** GET /api/v1/public/complaints: anonymised complaints (no flat, no names), a page at a time. */
export function usePublicComplaints(status?: string) {
  return useInfiniteQuery({
    queryKey: ['public', 'complaints', status ?? ''],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/public/complaints', {
          params: { query: { limit: 100, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
