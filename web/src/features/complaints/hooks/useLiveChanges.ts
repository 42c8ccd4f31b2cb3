import { api } from '@/lib/api/client';
import type { Complaint, ComplaintPage, ComplaintQuery } from '@/lib/api/types';
import type { QueuedCall } from '../api/calls';
import { countChanged, useLivePoll } from './useLivePoll';

export { LIVE_POLL_MS } from './useLivePoll';

/**
 * Watches a list's first page for new and changed complaints without moving the list, and counts
 * the complaints of the fresh page that are not shown at their current version. The list merges
 * them when the user asks.
 */
export function useLiveChanges(query: ComplaintQuery, shown: Complaint[] | undefined, enabled: boolean): number {
  const key = JSON.stringify(query);
  const fresh = useLivePoll<ComplaintPage>(
    key,
    (headers) => api.GET('/api/v1/complaints', { params: { query: JSON.parse(key) as ComplaintQuery }, headers }),
    enabled,
  );
  return countChanged(fresh?.items, shown, (c) => c.id, (c) => String(c.version));
}

/**
 * The same for the verification calls: a call is new, or changed when anything about it did (its
 * complaint's version, the attempts, who holds it, a call-back time, being due).
 */
export function useLiveCalls(shown: QueuedCall[] | undefined, enabled: boolean): number {
  const fresh = useLivePoll('calls', (headers) => api.GET('/api/v1/calls', { headers }), enabled);
  return countChanged(fresh?.calls, shown, (c) => c.complaint_id, (c) => JSON.stringify(c));
}
