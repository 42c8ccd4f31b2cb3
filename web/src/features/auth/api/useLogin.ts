import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { LoginRequest, LoginResponse } from '@/lib/api/types';
import { sessionStore } from '@/lib/auth/session';
import { meQueryKey } from '@/lib/api/me';

export function login(body: LoginRequest): Promise<LoginResponse> {
  return call(api.POST('/api/v1/auth/login', { body }));
}

/** POST /api/v1/auth/login: stores the token and primes the /me cache with the returned user. */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (response) => {
      queryClient.setQueryData(meQueryKey(response.access_token), response.user);
      sessionStore.set(response.access_token, response.expires_in, {
        token: response.refresh_token,
        expiresIn: response.refresh_expires_in,
      });
    },
  });
}
