import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { ConfirmRegistrationRequest, LoginResponse, RegisterRequest, RegistrationStarted } from '@/lib/api/types';
import { sessionStore } from '@/lib/auth/session';
import { meQueryKey } from '@/lib/api/me';

/** POST /api/v1/auth/register: a resident signs up (with consent); a code goes to the phone by SMS. */
export function useRegister() {
  return useMutation({
    mutationFn: (body: RegisterRequest): Promise<RegistrationStarted> => call(api.POST('/api/v1/auth/register', { body })),
  });
}

/** POST /api/v1/auth/register/resend: a new code for a registration. */
export function useResendCode() {
  return useMutation({
    mutationFn: (registrationId: string): Promise<RegistrationStarted> =>
      call(api.POST('/api/v1/auth/register/resend', { body: { registration_id: registrationId } })),
  });
}

/** POST /api/v1/auth/register/confirm: the code from the SMS creates the account and signs in. */
export function useConfirmRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ConfirmRegistrationRequest): Promise<LoginResponse> =>
      call(api.POST('/api/v1/auth/register/confirm', { body })),
    onSuccess: (response) => {
      queryClient.setQueryData(meQueryKey(response.access_token), response.user);
      sessionStore.set(response.access_token, response.expires_in, {
        token: response.refresh_token,
        expiresIn: response.refresh_expires_in,
      });
    },
  });
}
