import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, newIdempotencyKey } from '@/lib/api/client';
import { useKeysetPages } from '@/lib/api/keyset';
import type {
  Building,
  Category,
  Complaint,
  ComplaintEvent,
  ComplaintPage,
  ComplaintQuery,
  CreateComplaintRequest,
  CreatedComplaint,
  FineArticle,
  Transition,
} from '@/lib/api/types';

export const complaintKeys = {
  all: ['complaints'] as const,
  list: (query: ComplaintQuery) => ['complaints', 'list', query] as const,
  one: (id: string) => ['complaints', 'one', id] as const,
  events: (id: string) => ['complaints', 'events', id] as const,
};

/** GET /api/v1/categories: public, changes rarely. */
export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: (): Promise<Category[]> => call(api.GET('/api/v1/categories')),
    staleTime: 60 * 60 * 1000,
  });
}

/** GET /api/v1/fine-articles: the articles of the Code of Administrative Offences (KoAP) a fine may be recorded under. */
export function useFineArticles() {
  return useQuery({
    queryKey: ['fine-articles'],
    queryFn: (): Promise<FineArticle[]> => call(api.GET('/api/v1/fine-articles')),
    staleTime: 60 * 60 * 1000,
  });
}

/** GET /api/v1/buildings?q=: the address search behind the address picker. */
export function useBuildingSearch(q: string, limit = 10) {
  return useQuery({
    queryKey: ['buildings', q, limit],
    queryFn: (): Promise<Building[]> => call(api.GET('/api/v1/buildings', { params: { query: { q, limit } } })),
    staleTime: 10 * 60 * 1000,
    placeholderData: (previous) => previous,
  });
}

/** GET /api/v1/complaints: pages of complaints (keyset), "Show more" fetches the next. */
export function useComplaints(query: ComplaintQuery, options: { refetchInterval?: number } = {}) {
  return useKeysetPages({
    queryKey: complaintKeys.list(query),
    fetchPage: (cursor): Promise<ComplaintPage> => call(api.GET('/api/v1/complaints', { params: { query: { ...query, ...cursor } } })),
    refetchInterval: options.refetchInterval,
  });
}

/** GET /api/v1/complaints/{id}: the complaint with the caller's allowed actions. */
export function useComplaint(id: string) {
  return useQuery({
    queryKey: complaintKeys.one(id),
    queryFn: (): Promise<Complaint> => call(api.GET('/api/v1/complaints/{id}', { params: { path: { id } } })),
  });
}

/** GET /api/v1/complaints/{id}/events: the history, oldest first. */
export function useComplaintEvents(id: string) {
  return useQuery({
    queryKey: complaintKeys.events(id),
    queryFn: (): Promise<ComplaintEvent[]> => call(api.GET('/api/v1/complaints/{id}/events', { params: { path: { id } } })),
  });
}

/** POST /api/v1/complaints: one Idempotency-Key per form (kept across retries of that form). */
export function useCreateComplaint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: CreateComplaintRequest; key: string }): Promise<CreatedComplaint> =>
      call(api.POST('/api/v1/complaints', { body, params: { header: { 'Idempotency-Key': key } } })),
    onSuccess: (created) => {
      queryClient.setQueryData(complaintKeys.one(created.complaint.id), created.complaint);
      void queryClient.invalidateQueries({ queryKey: ['complaints', 'list'] });
    },
  });
}

export { newIdempotencyKey };

/** POST /api/v1/complaints/{id}/transitions with If-Match: the version the user acted on. */
export function useTransition(complaint: Pick<Complaint, 'id' | 'version'>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Transition): Promise<Complaint> =>
      call(
        api.POST('/api/v1/complaints/{id}/transitions', {
          params: { path: { id: complaint.id }, header: { 'If-Match': `"${complaint.version}"` } },
          body,
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(complaintKeys.one(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: complaintKeys.events(updated.id) });
      void queryClient.invalidateQueries({ queryKey: ['complaints', 'list'] });
    },
  });
}

/** POST /api/v1/complaints/{id}/reveal-phone: the dispatcher sees the full number, saying why (audited). */
export function useRevealPhone(id: string) {
  return useMutation({
    mutationFn: (reason: string) =>
      call(api.POST('/api/v1/complaints/{id}/reveal-phone', { params: { path: { id } }, body: { reason } })),
  });
}
