import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import { useKeysetPages } from '@/lib/api/keyset';
import type { CreateWebhookRequest, EventType, ReplayRequest, UpdateWebhookRequest, Webhook, WebhookDetails, WebhookWithSecret } from '@/lib/api/types';

const k = {
  all: ['admin', 'webhooks'] as const,
  eventTypes: ['admin', 'webhooks', 'event-types'] as const,
  one: (id: string) => ['admin', 'webhooks', 'one', id] as const,
  attempts: (id: string) => ['admin', 'webhooks', 'attempts', id] as const,
};

/** How often the details and the attempts refresh while open: the worker sends on its own. */
const LIVE_MS = 3000;

/** GET /api/v1/webhooks/event-types. */
export function useWebhookEventTypes() {
  return useQuery({
    queryKey: k.eventTypes,
    queryFn: async (): Promise<EventType[]> => (await call(api.GET('/api/v1/webhooks/event-types'))).items.map((i) => i.name),
    staleTime: Infinity,
  });
}

/** GET /api/v1/webhooks: every subscription (an administrator). */
export function useWebhooks() {
  return useQuery({
    queryKey: [...k.all, 'list'],
    queryFn: async (): Promise<Webhook[]> => (await call(api.GET('/api/v1/webhooks'))).items,
  });
}

/** POST /api/v1/webhooks: the answer carries the secret, once. */
export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookRequest): Promise<WebhookWithSecret> => call(api.POST('/api/v1/webhooks', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: k.all }),
  });
}

/** GET /api/v1/webhooks/{id}: with counts of its events. */
export function useWebhook(id: string) {
  return useQuery({
    queryKey: k.one(id),
    queryFn: (): Promise<WebhookDetails> => call(api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    refetchInterval: LIVE_MS,
  });
}

/** GET /api/v1/webhooks/{id}/attempts: newest first, a page at a time. */
export function useWebhookAttempts(id: string) {
  return useKeysetPages({
    queryKey: k.attempts(id),
    fetchPage: (cursor) => call(api.GET('/api/v1/webhooks/{id}/attempts', { params: { path: { id }, query: { limit: 20, ...cursor } } })),
    refetchInterval: LIVE_MS,
  });
}

/** After a change: the list, the details and the attempts load again. */
function useRefreshAll() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: k.all });
  };
}

/** PATCH /api/v1/webhooks/{id}: switch on or off (or change the URL, note or events). */
export function useUpdateWebhook(id: string) {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: (body: UpdateWebhookRequest): Promise<Webhook> => call(api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
}

/** POST /api/v1/webhooks/{id}/rotate-secret: a new secret, shown once; the old one signs too for the grace period. */
export function useRotateWebhookSecret(id: string) {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: (graceMinutes: number): Promise<WebhookWithSecret> =>
      call(api.POST('/api/v1/webhooks/{id}/rotate-secret', { params: { path: { id } }, body: { grace_minutes: graceMinutes } })),
    onSuccess: refresh,
  });
}

/** DELETE /api/v1/webhooks/{id}. */
export function useDeleteWebhook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: k.one(id) });
      queryClient.removeQueries({ queryKey: k.attempts(id) });
      void queryClient.invalidateQueries({ queryKey: [...k.all, 'list'] });
    },
  });
}

/** POST /api/v1/webhooks/{id}/replay: one event by its webhook-id, or a time range. */
export function useReplayWebhook(id: string) {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async (body: ReplayRequest): Promise<number> =>
      (await call(api.POST('/api/v1/webhooks/{id}/replay', { params: { path: { id } }, body }))).queued,
    onSuccess: refresh,
  });
}
