import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { api } from '@/lib/api/client';
import { sessionStore } from '@/lib/auth/session';
import type { LoginLocationState } from '../components/LoginPage';

/**
 * Revokes the refresh token (best effort), forgets the session and every cached per-user answer,
 * then returns to the sign-in page.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(() => {
    const refreshToken = sessionStore.getRefreshToken();
    if (refreshToken !== null) {
      void api.POST('/api/v1/auth/logout', { body: { refresh_token: refreshToken } }).catch(() => undefined);
    }
    sessionStore.clear('signed_out');
    queryClient.removeQueries({ queryKey: ['auth'] });
    queryClient.removeQueries({ queryKey: ['complaints'] });
    queryClient.removeQueries({ queryKey: ['admin'] });
    const state: LoginLocationState = { signedOut: true };
    void navigate('/login', { replace: true, state });
  }, [navigate, queryClient]);
}
