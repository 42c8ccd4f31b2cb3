import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '@/api/schema';
import { sessionStore } from '@/lib/auth/session';
import { getLanguage } from '@/lib/i18n/language';
import { networkProblem, problemFromResponse } from './problem';

/** Adds the Bearer token and the UI language; a 401 on an authenticated call ends the session. */
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

export const api = createClient<paths>({
  baseUrl: defaultBaseUrl(),
  // Resolve `fetch` at call time, so a test stub at the network boundary is picked up.
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(sessionMiddleware);

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
