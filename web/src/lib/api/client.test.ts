import { describe, expect, it } from 'vitest';
import { sessionStore } from '@/lib/auth/session';
import { demoUsers, json, problem, stubFetch } from '@/testing/fetch-stub';
import { api, call } from './client';

const tokens = (access: string, refresh: string) => ({
  access_token: access,
  refresh_token: refresh,
  token_type: 'Bearer',
  expires_in: 900,
  refresh_expires_in: 2_592_000,
  user: demoUsers.resident,
});

describe('the API client and an expired access token', () => {
  it('refreshes once, however many calls fail, and retries them with the new token', async () => {
    sessionStore.set('old', 900, { token: 'r1', expiresIn: 3600 });
    const { requests } = stubFetch({
      'GET /api/v1/me': (request) =>
        request.headers.get('Authorization') === 'Bearer new' ? json(200, demoUsers.resident) : problem(401, 'invalid_token'),
      'POST /api/v1/auth/refresh': async (request) => {
        expect(await request.json()).toEqual({ refresh_token: 'r1' });
        return json(200, tokens('new', 'r2'));
      },
    });
    const [a, b] = await Promise.all([call(api.GET('/api/v1/me')), call(api.GET('/api/v1/me'))]);
    expect(a.name).toBe('Иванова Мария Петровна');
    expect(b.login).toBe('resident@demo.test');
    expect(requests.filter((r) => r.url.endsWith('/auth/refresh'))).toHaveLength(1);
    expect(sessionStore.getToken()).toBe('new');
    expect(sessionStore.getRefreshToken()).toBe('r2');
  });

  it('signs out when the refresh token is refused', async () => {
    sessionStore.set('old', 900, { token: 'stale', expiresIn: 3600 });
    stubFetch({
      'GET /api/v1/me': () => problem(401, 'invalid_token'),
      'POST /api/v1/auth/refresh': () => problem(401, 'invalid_refresh_token'),
    });
    await expect(call(api.GET('/api/v1/me'))).rejects.toMatchObject({ status: 401 });
    expect(sessionStore.getToken()).toBeNull();
  });

  it('keeps the session alive past the access token while the refresh token is valid', () => {
    sessionStore.set('short', -1, { token: 'r1', expiresIn: 3600 });
    expect(sessionStore.getToken()).toBe('short');
    sessionStore.set('short', -1);
    expect(sessionStore.getToken()).toBeNull();
  });
});
