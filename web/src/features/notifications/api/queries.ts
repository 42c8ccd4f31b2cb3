import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import { useKeysetPages } from '@/lib/api/keyset';
import type { Inbox } from '@/lib/api/types';
import { useAccessToken } from '@/lib/auth/session';

/** The server's worker delivers notifications every few seconds; the bell looks every 30 s. */
export const POLL_MS = 30_000;

const keys = {
  all: ['notifications'] as const,
  count: (token: string | null) => ['notifications', 'count', token] as const,
  list: (token: string | null) => ['notifications', 'list', token] as const,
};

/** GET /api/v1/notifications?limit=1: only the unread count, for the bell (and on window focus). */
export function useUnreadCount() {
  const token = useAccessToken();
  return useQuery({
    queryKey: keys.count(token),
    queryFn: (): Promise<Inbox> => call(api.GET('/api/v1/notifications', { params: { query: { limit: 1 } } })),
    enabled: token !== null,
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
    select: (inbox) => inbox.unread,
  });
}

/** GET /api/v1/notifications: the inbox, newest first, a page at a time ("Show more"). */
export function useInbox() {
  const token = useAccessToken();
  return useKeysetPages({
    queryKey: keys.list(token),
    fetchPage: (cursor): Promise<Inbox> => call(api.GET('/api/v1/notifications', { params: { query: { limit: 20, ...cursor } } })),
    enabled: token !== null,
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
}

/** POST /api/v1/notifications/{id}/read. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}
