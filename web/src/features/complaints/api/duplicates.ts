import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { DuplicateLinks, Followed, FollowRequest, SimilarComplaint } from '@/lib/api/types';

export const duplicateKeys = {
  similar: (buildingId: string, categoryId: string, text: string) => ['complaints', 'similar', buildingId, categoryId, text] as const,
  links: (id: string) => ['complaints', 'duplicates', id] as const,
};

/** GET /api/v1/complaints/similar: open complaints like the one being typed in (pass debounced values). */
export function useSimilarComplaints(buildingId: string | null, categoryId: string, text: string) {
  return useQuery({
    queryKey: duplicateKeys.similar(buildingId ?? '', categoryId, text),
    enabled: buildingId !== null,
    queryFn: (): Promise<SimilarComplaint[]> =>
      call(
        api.GET('/api/v1/complaints/similar', {
          params: { query: { building_id: buildingId ?? '', category_id: categoryId || undefined, text: text || undefined } },
        }),
      ),
    staleTime: 30 * 1000,
    placeholderData: (previous) => previous,
  });
}

/** POST /api/v1/complaints/{id}/followers: join an open complaint instead of filing another. */
export function useFollowComplaint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: FollowRequest }): Promise<Followed> =>
      call(api.POST('/api/v1/complaints/{id}/followers', { params: { path: { id } }, body })),
    onSuccess: (followed) => void queryClient.invalidateQueries({ queryKey: duplicateKeys.links(followed.complaint_id) }),
  });
}

/** GET /api/v1/complaints/{id}/duplicates: its original, its linked duplicates, its followers' count. */
export function useComplaintDuplicates(id: string) {
  return useQuery({
    queryKey: duplicateKeys.links(id),
    queryFn: (): Promise<DuplicateLinks> => call(api.GET('/api/v1/complaints/{id}/duplicates', { params: { path: { id } } })),
  });
}
