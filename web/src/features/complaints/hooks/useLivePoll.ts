import { useEffect, useRef, useState } from 'react';

/** How often an open list asks whether it changed. */
export const LIVE_POLL_MS = 4_000;

/** One read of a list: the body (absent on a 304) and the response for its status and ETag. */
export type LiveRead<T> = (headers: Record<string, string>) => Promise<{ data?: T; response: Response }>;

/**
 * Asks for a list again every LIVE_POLL_MS with `If-None-Match` (a 304 while nothing changed,
 * computed by the server from what the caller may see, so any replica answers it) and returns the
 * freshest body, without touching what the page shows. `key` names the query: a new key starts over.
 */
export function useLivePoll<T>(key: string, read: LiveRead<T>, enabled: boolean): T | undefined {
  const [fresh, setFresh] = useState<T | undefined>(undefined);
  const etag = useRef<string | null>(null);
  const reader = useRef(read);
  useEffect(() => {
    reader.current = read;
  });

  useEffect(() => {
    if (!enabled) return undefined;
    let stopped = false;
    etag.current = null;
    async function poll() {
      try {
        const headers: Record<string, string> = etag.current ? { 'If-None-Match': etag.current } : {};
        const { data, response } = await reader.current(headers);
        if (stopped || response.status === 304 || !data) return;
        etag.current = response.headers.get('ETag');
        setFresh(data);
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

  return enabled ? fresh : undefined;
}

/** How many rows of `fresh` are not shown as they are now (new, or changed since). */
export function countChanged<T>(fresh: T[] | undefined, shown: T[] | undefined, id: (row: T) => string, state: (row: T) => string): number {
  if (fresh === undefined || shown === undefined) return 0;
  const states = new Map(shown.map((row) => [id(row), state(row)]));
  return fresh.filter((row) => states.get(id(row)) !== state(row)).length;
}
