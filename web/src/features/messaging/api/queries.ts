import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import { useKeysetPages } from '@/lib/api/keyset';
import type {
  Channel,
  DeliveryState,
  MessageKind,
  MessageLanguage,
  MessageTemplate,
  MessagingSettings,
  PreviewRequest,
  TemplatePreview,
  UpdateMessagingSettings,
} from '@/lib/api/types';
import { useAccessToken } from '@/lib/auth/session';

const keys = {
  mine: (token: string | null) => ['messaging', 'mine', token] as const,
  deliveries: (filters: DeliveryFilters) => ['messaging', 'deliveries', filters] as const,
  daily: (from: string, to: string) => ['messaging', 'daily', from, to] as const,
  templates: ['messaging', 'templates'] as const,
};

/** GET /api/v1/me/messaging: the signed-in person's channels per kind of message. */
export function useMyMessaging() {
  const token = useAccessToken();
  return useQuery({
    queryKey: keys.mine(token),
    queryFn: (): Promise<MessagingSettings> => call(api.GET('/api/v1/me/messaging')),
    enabled: token !== null,
  });
}

/** PUT /api/v1/me/messaging. */
export function useSaveMyMessaging() {
  const token = useAccessToken();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMessagingSettings): Promise<MessagingSettings> => call(api.PUT('/api/v1/me/messaging', { body })),
    onSuccess: (saved) => queryClient.setQueryData(keys.mine(token), saved),
  });
}

export interface DeliveryFilters {
  channel?: Channel;
  state?: DeliveryState;
  day?: string;
}

/** GET /api/v1/admin/deliveries: the delivery log, newest first, a page at a time. */
export function useDeliveries(filters: DeliveryFilters) {
  return useKeysetPages({
    queryKey: keys.deliveries(filters),
    fetchPage: (cursor) => call(api.GET('/api/v1/admin/deliveries', { params: { query: { limit: 50, ...filters, ...cursor } } })),
    keepPrevious: true,
  });
}

/** GET /api/v1/admin/deliveries/daily: counts per day and channel. */
export function useDailyDeliveries(from: string, to: string) {
  return useQuery({
    queryKey: keys.daily(from, to),
    queryFn: () => call(api.GET('/api/v1/admin/deliveries/daily', { params: { query: { from, to } } })),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/v1/admin/message-templates. */
export function useTemplates() {
  return useQuery({
    queryKey: keys.templates,
    queryFn: () => call(api.GET('/api/v1/admin/message-templates')),
  });
}

export interface TemplateKey {
  kind: MessageKind;
  channel: Channel;
  language: MessageLanguage;
}

/** PUT /api/v1/admin/message-templates/{kind}/{channel}/{language}. */
export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, subject, body }: { key: TemplateKey; subject: string | null; body: string }): Promise<MessageTemplate> =>
      call(api.PUT('/api/v1/admin/message-templates/{kind}/{channel}/{language}', { params: { path: key }, body: { subject, body } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.templates }),
  });
}

/** DELETE /api/v1/admin/message-templates/{kind}/{channel}/{language}: back to the default. */
export function useResetTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: TemplateKey): Promise<MessageTemplate> =>
      call(api.DELETE('/api/v1/admin/message-templates/{kind}/{channel}/{language}', { params: { path: key } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.templates }),
  });
}

/** POST /api/v1/admin/message-templates/preview, for the text being typed (debounced by the caller). */
export function usePreview(request: PreviewRequest | null) {
  return useQuery({
    queryKey: ['messaging', 'preview', request],
    queryFn: (): Promise<TemplatePreview> => call(api.POST('/api/v1/admin/message-templates/preview', { body: request! })),
    enabled: request !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}
