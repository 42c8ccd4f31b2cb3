import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '@/api/schema';
import { maySignInSilently, sessionStore } from '@/lib/auth/session';
import { getLanguage } from '@/lib/i18n/language';
import { networkProblem, problemFromResponse } from './problem';

/** Adds the Bearer token and the UI language; a 401 that survives a refresh ends the session. */
const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    const token = sessionStore.getToken();
    if (token !== null && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    request.headers.set('Accept-Language', getLanguage());
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) {
      sessionStore.clear();
    }
    return response;
  },
};

function defaultBaseUrl(): string {
  // Same origin as the SPA. An absolute URL keeps `new Request()` happy outside browsers too.
  return typeof window === 'undefined' ? 'http://localhost' : window.location.origin;
}

// Resolve `fetch` at call time, so a test stub at the network boundary is picked up.
const bareClient = createClient<paths>({ baseUrl: defaultBaseUrl(), fetch: (request: Request) => globalThis.fetch(request) });

let refreshing: Promise<boolean> | null = null;

/**
 * Exchanges the refresh token for a new pair (POST /auth/refresh), once at a time however many
 * calls ask. False when there is no refresh token or the server refused it (the session ends).
 */
export function refreshSession(): Promise<boolean> {
  const refreshToken = sessionStore.getRefreshToken();
  if (refreshToken === null && !maySignInSilently()) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      // Without a token of its own (a new tab), the tab uses the HttpOnly cookie of the sign-in;
      // the custom header is what the server asks of a cookie refresh (against CSRF).
      const { data, response } = await bareClient.POST('/api/v1/auth/refresh', {
        body: refreshToken === null ? {} : { refresh_token: refreshToken },
        headers: { 'Accept-Language': getLanguage(), ...(refreshToken === null ? { 'X-Dispatch-Session': 'cookie' } : {}) },
      });
      if (!data) {
        if (refreshToken === null) sessionStore.clear('signed_out', true);
        else if (response.status === 401 || response.status === 422) sessionStore.clear();
        return false;
      }
      sessionStore.set(data.access_token, data.expires_in, {
        token: data.refresh_token,
        expiresIn: data.refresh_expires_in,
      });
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** On a 401 to an authenticated call: refresh the session once, then retry with the new token. */
async function fetchWithRefresh(request: Request): Promise<Response> {
  const sent = request.headers.get('Authorization');
  const retry = sent !== null && sessionStore.getRefreshToken() !== null ? request.clone() : null;
  const response = await globalThis.fetch(request);
  if (response.status !== 401 || retry === null) return response;
  const latest = sessionStore.getToken();
  // Another call may have refreshed meanwhile; then just retry with its token.
  const renewed = latest !== null && `Bearer ${latest}` !== sent ? true : await refreshSession();
  const token = sessionStore.getToken();
  if (!renewed || token === null) return response;
  retry.headers.set('Authorization', `Bearer ${token}`);
  return globalThis.fetch(retry);
}

export const api = createClient<paths>({ baseUrl: defaultBaseUrl(), fetch: fetchWithRefresh });
api.use(sessionMiddleware);
sessionStore.setRefresher(refreshSession);

type ClientResult<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an openapi-fetch call: returns the body on success, throws an ApiProblem otherwise. */
export async function call<T>(pending: Promise<ClientResult<T>>): Promise<T> {
  let result: ClientResult<T>;
  try {
    result = await pending;
  } catch (cause) {
    throw networkProblem(cause);
  }
  if (!result.response.ok || result.error !== undefined) {
    throw problemFromResponse(result.response, result.error);
  }
  return result.data as T;
}

/** A fresh key for one form submission, so a double click or a retry never files twice. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
}
