// The access token lives in memory and in sessionStorage (it survives a reload of the tab,
// not the closing of the browser). Components subscribe through useAccessToken().
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'dispatch.session';

interface Session {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

function load(): Session | null {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as Session).token === 'string' &&
      typeof (parsed as Session).expiresAt === 'number' &&
      (parsed as Session).expiresAt > Date.now()
    ) {
      return parsed as Session;
    }
  } catch {
    // A corrupt entry is dropped below.
  }
  storage()?.removeItem(STORAGE_KEY);
  return null;
}

/** Why the last session ended: the user signed out, or the token expired or was refused. */
export type EndReason = 'signed_out' | 'ended';

let current: Session | null = load();
let endReason: EndReason | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

function scheduleExpiry() {
  clearTimeout(expiryTimer);
  if (current === null) return;
  // setTimeout overflows past ~24.8 days; such tokens are checked on read instead.
  const delay = Math.min(current.expiresAt - Date.now(), 2_000_000_000);
  expiryTimer = setTimeout(() => sessionStore.clear(), Math.max(delay, 0));
}

export const sessionStore = {
  getToken(): string | null {
    if (current === null || current.expiresAt <= Date.now()) return null;
    return current.token;
  },
  set(token: string, expiresInSeconds: number) {
    current = { token, expiresAt: Date.now() + expiresInSeconds * 1000 };
    endReason = null;
    storage()?.setItem(STORAGE_KEY, JSON.stringify(current));
    scheduleExpiry();
    emit();
  },
  clear(reason: EndReason = 'ended') {
    if (current === null) return;
    current = null;
    endReason = reason;
    storage()?.removeItem(STORAGE_KEY);
    scheduleExpiry();
    emit();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  lastEndReason(): EndReason | null {
    return endReason;
  },
  /** Re-reads sessionStorage (tests reset it between cases). */
  reload() {
    current = load();
    endReason = null;
    scheduleExpiry();
    emit();
  },
};

scheduleExpiry();

/** The current access token, or null when signed out; re-renders on sign-in and sign-out. */
export function useAccessToken(): string | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.getToken, () => null);
}
