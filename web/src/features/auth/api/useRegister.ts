import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { LoginResponse, RegisterRequest } from '@/lib/api/types';
import { sessionStore } from '@/lib/auth/session';
import { meQueryKey } from './useMe';

/** POST /api/v1/auth/register: a resident signs up (with consent) and is signed in at once. */
export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RegisterRequest): Promise<LoginResponse> => call(api.POST('/api/v1/auth/register', { body })),
    onSuccess: (response) => {
      queryClient.setQueryData(meQueryKey(response.access_token), response.user);
      sessionStore.set(response.access_token, response.expires_in, {
        token: response.refresh_token,
        expiresIn: response.refresh_expires_in,
      });
    },
  });
}
