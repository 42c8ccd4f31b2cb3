import { useQuery } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { Me } from '@/lib/api/types';
import { useAccessToken } from '@/lib/auth/session';

/** Keyed by token, so one user's profile is never shown to the next. */
export const meQueryKey = (token: string | null) => ['auth', 'me', token] as const;

export function fetchMe(): Promise<Me> {
  return call(api.GET('/api/v1/me'));
}

/**
 * GET /api/v1/me: the signed-in user. Disabled while signed out. A 401 ends the session
 * (the API client's middleware clears the token).
 */
export function useMe() {
  const token = useAccessToken();
  return useQuery({
    queryKey: meQueryKey(token),
    queryFn: fetchMe,
    enabled: token !== null,
    staleTime: 5 * 60 * 1000,
  });
}
