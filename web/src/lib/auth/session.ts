// The session lives in memory: a short-lived access token and, since sign-in, a refresh token.
// sessionStorage keeps only the access token (a reload within its 15 minutes needs no call); the
// refresh token of a reload or a new tab is the HttpOnly cookie the server set (issue 16).
// Components subscribe through useAccessToken().
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'dispatch.session';
/**
 * Set in localStorage (shared by every tab) while a sign-in may have left its HttpOnly refresh
 * cookie: a new tab then tries to sign itself in with it. Holds no secret.
 */
export const SIGNED_IN_HINT = 'dispatch.signedIn';
/** Tells the other tabs of this browser that the user signed out. */
const channel: BroadcastChannel | null = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('dispatch.session');

function hint(on: boolean) {
  try {
    if (typeof window === 'undefined') return;
    if (on) window.localStorage.setItem(SIGNED_IN_HINT, '1');
    else window.localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // No storage (private mode): a new tab simply asks to sign in.
  }
}
/** Refresh this long before the access token runs out. */
const REFRESH_AHEAD_MS = 30_000;

interface Session {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  refreshToken?: string;
  refreshExpiresAt?: number;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

/** The session is usable while its access token, or else its refresh token, is still valid. */
function alive(session: Session, now = Date.now()): boolean {
  return session.expiresAt > now || (session.refreshToken !== undefined && (session.refreshExpiresAt ?? 0) > now);
}

function load(): Session | null {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Session> | null;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof parsed.token === 'string' &&
      typeof parsed.expiresAt === 'number'
    ) {
      const session: Session = { token: parsed.token, expiresAt: parsed.expiresAt };
      if (typeof parsed.refreshToken === 'string' && typeof parsed.refreshExpiresAt === 'number') {
        session.refreshToken = parsed.refreshToken;
        session.refreshExpiresAt = parsed.refreshExpiresAt;
      }
      if (alive(session)) return session;
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
/** Set by the API client: exchanges the refresh token for a new session; false when it cannot. */
let refresher: (() => Promise<boolean>) | null = null;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) listener();
}

function scheduleExpiry() {
  clearTimeout(expiryTimer);
  if (current === null) return;
  const session = current;
  const canRefresh = (session.refreshToken !== undefined || maySignInSilently()) && refresher !== null;
  const at = canRefresh ? session.expiresAt - REFRESH_AHEAD_MS : session.expiresAt;
  // setTimeout overflows past ~24.8 days; such tokens are checked on read instead.
  const delay = Math.max(Math.min(at - Date.now(), 2_000_000_000), 0);
  expiryTimer = setTimeout(() => {
    if (current !== session) return;
    if (canRefresh && refresher) {
      void refresher().then((ok) => {
        if (!ok && current === session && !alive(session)) sessionStore.clear();
      });
    } else {
      sessionStore.clear();
    }
  }, delay);
}

export interface RefreshGrant {
  token: string;
  expiresIn: number;
}

export const sessionStore = {
  /** The access token to send; possibly expired while a refresh token can still renew it. */
  getToken(): string | null {
    if (current === null || !alive(current)) return null;
    return current.token;
  },
  getRefreshToken(): string | null {
    if (current?.refreshToken === undefined || (current.refreshExpiresAt ?? 0) <= Date.now()) return null;
    return current.refreshToken;
  },
  set(token: string, expiresInSeconds: number, refresh?: RefreshGrant) {
    const now = Date.now();
    current = { token, expiresAt: now + expiresInSeconds * 1000 };
    if (refresh) {
      current.refreshToken = refresh.token;
      current.refreshExpiresAt = now + refresh.expiresIn * 1000;
    }
    endReason = null;
    // The refresh token stays in memory: a reload or a new tab renews with the HttpOnly cookie.
    storage()?.setItem(STORAGE_KEY, JSON.stringify({ token: current.token, expiresAt: current.expiresAt }));
    hint(true);
    scheduleExpiry();
    emit();
  },
  clear(reason: EndReason = 'ended', fromOtherTab = false) {
    if (reason === 'signed_out') {
      hint(false);
      if (!fromOtherTab) channel?.postMessage('signed_out');
    }
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
  setRefresher(fn: (() => Promise<boolean>) | null) {
    refresher = fn;
    scheduleExpiry();
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
if (channel) channel.onmessage = (event: MessageEvent) => {
  if (event.data === 'signed_out') sessionStore.clear('signed_out', true);
};

/** Whether a sign-in in this browser may have left a refresh cookie (see SIGNED_IN_HINT). */
export function maySignInSilently(): boolean {
  try {
    return typeof window !== 'undefined' && window.localStorage.getItem(SIGNED_IN_HINT) === '1';
  } catch {
    return false;
  }
}

/** The current access token, or null when signed out; re-renders on sign-in and sign-out. */
export function useAccessToken(): string | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.getToken, () => null);
}
