import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import { useKeysetPages } from '@/lib/api/keyset';
import type { CreateUserRequest, User } from '@/lib/api/types';

const usersKey = ['admin', 'users'] as const;

/** GET /api/v1/admin/users: accounts in creation order, a page at a time. */
export function useUsers() {
  return useKeysetPages({
    queryKey: usersKey,
    fetchPage: (cursor) => call(api.GET('/api/v1/admin/users', { params: { query: { limit: 50, ...cursor } } })),
  });
}

/** POST /api/v1/admin/users. */
export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserRequest): Promise<User> => call(api.POST('/api/v1/admin/users', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

/** POST /api/v1/admin/users/{id}/deactivate. */
export function useDeactivateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/v1/admin/users/{id}/deactivate', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

/** GET /api/v1/admin/organisations: every organisation (one page of up to 200). */
export function useOrganisations() {
  return useQuery({
    queryKey: ['admin', 'organisations'],
    queryFn: () => call(api.GET('/api/v1/admin/organisations', { params: { query: { limit: 200 } } })),
    staleTime: 5 * 60 * 1000,
  });
}
