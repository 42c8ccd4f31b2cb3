import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '@/lib/api/client';
import type { components } from '@/api/schema';

export type CallQueue = components['schemas']['CallQueue'];
export type QueuedCall = components['schemas']['CallDto'];

// Under ['complaints', 'list']: a recorded call refreshes the queue with every list.
const callsKey = ['complaints', 'list', 'calls'] as const;

/** GET /api/v1/calls: the verification calls, what is due first. */
export function useCallQueue() {
  return useQuery({
    queryKey: callsKey,
    queryFn: (): Promise<CallQueue> => call(api.GET('/api/v1/calls')),
    // No interval: the desk polls with If-None-Match and offers what changed (useLiveCalls).
    refetchOnWindowFocus: false,
  });
}

function useCallMutation<T>(fn: (arg: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: callsKey }),
  });
}

/** POST /api/v1/calls/{id}/claim: take the call. */
export function useClaimCall() {
  return useCallMutation((id: string) => call(api.POST('/api/v1/calls/{id}/claim', { params: { path: { id } } })));
}

/** DELETE /api/v1/calls/{id}/claim: give it back. */
export function useReleaseCall() {
  return useCallMutation((id: string) => call(api.DELETE('/api/v1/calls/{id}/claim', { params: { path: { id } } })));
}

/** POST /api/v1/calls/{id}/call-back: call the person back at a time. */
export function useCallBack() {
  return useCallMutation(({ id, at }: { id: string; at: string }) =>
    call(api.POST('/api/v1/calls/{id}/call-back', { params: { path: { id } }, body: { call_back_at: at } })),
  );
}
