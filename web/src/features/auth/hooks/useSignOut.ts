import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { sessionStore } from '@/lib/auth/session';
import type { LoginLocationState } from '../components/LoginPage';

/** Forgets the token and every cached per-user answer, then returns to the sign-in page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(() => {
    sessionStore.clear('signed_out');
    queryClient.removeQueries({ queryKey: ['auth'] });
    const state: LoginLocationState = { signedOut: true };
    void navigate('/login', { replace: true, state });
  }, [navigate, queryClient]);
}
