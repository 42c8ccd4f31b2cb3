import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { CreatePolicyVersion, PolicyOverview } from '@/lib/api/types';

const KEY = ['admin', 'policy'];

/** GET /api/v1/admin/policy: the policy in force and every version, newest first. */
export function usePolicy() {
  return useQuery({
    queryKey: KEY,
    queryFn: (): Promise<PolicyOverview> => call(api.GET('/api/v1/admin/policy')),
  });
}

/** POST /api/v1/admin/policy/versions: saves a new version, in force now or from a future moment. */
export function useSavePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePolicyVersion): Promise<PolicyOverview> =>
      call(api.POST('/api/v1/admin/policy/versions', { body })),
    onSuccess: (data) => queryClient.setQueryData(KEY, data),
  });
}
