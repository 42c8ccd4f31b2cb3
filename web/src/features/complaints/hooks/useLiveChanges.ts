import { useEffect, useRef, useState } from 'react';
import { api } from '@/lib/api/client';
import type { Complaint, ComplaintPage, ComplaintQuery } from '@/lib/api/types';

/** How often an open list asks whether its first page changed. */
export const LIVE_POLL_MS = 4_000;

/**
 * Watches a list's first page for new and changed complaints without moving the list: every
 * LIVE_POLL_MS it asks again with `If-None-Match` (a 304 when nothing changed, computed by the
 * server from the database, so any replica answers it), and counts the complaints of the fresh page
 * that are not shown at their current version. The list merges them when the user asks.
 */
export function useLiveChanges(query: ComplaintQuery, shown: Complaint[] | undefined, enabled: boolean): number {
  const [fresh, setFresh] = useState<Complaint[]>([]);
  const etag = useRef<string | null>(null);
  const key = JSON.stringify(query);

  useEffect(() => {
    if (!enabled) return undefined;
    let stopped = false;
    etag.current = null;
    async function poll() {
      try {
        const headers: Record<string, string> = etag.current ? { 'If-None-Match': etag.current } : {};
        const { data, response } = await api.GET('/api/v1/complaints', { params: { query: JSON.parse(key) as ComplaintQuery }, headers });
        if (stopped || response.status === 304 || !data) return;
        etag.current = response.headers.get('ETag');
        setFresh((data as ComplaintPage).items);
      } catch {
        // Offline for a moment: the next poll tries again.
      }
    }
    void poll();
    const timer = setInterval(() => void poll(), LIVE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [key, enabled]);

  if (!enabled || shown === undefined) return 0;
  const versions = new Map(shown.map((c) => [c.id, c.version]));
  return fresh.filter((c) => versions.get(c.id) !== c.version).length;
}
