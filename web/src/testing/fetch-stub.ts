// A stub at the network boundary only: the real API client, hooks and components run on top.
import { vi } from 'vitest';
import type { Me } from '@/lib/api/types';

type Handler = (request: Request) => Response | Promise<Response>;

export function json(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

export function problem(status: number, code: string, extra: Record<string, unknown> = {}): Response {
  return json(
    status,
    { type: `https://dispatch.example/problems/${code}`, title: code.replace(/_/g, ' '), status, code, ...extra },
    'application/problem+json',
  );
}

/** Replaces global fetch with a router of "METHOD /path" handlers; unknown routes get a 404 problem. */
export function stubFetch(routes: Record<string, Handler>) {
  const requests: Request[] = [];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request);
    const handler = routes[`${request.method} ${new URL(request.url).pathname}`];
    return handler ? handler(request) : problem(404, 'not_found');
  });
  vi.stubGlobal('fetch', fetchStub);
  return { requests, fetchStub };
}

export const demoMeta = { pilot_mode: true, city: 'Сургут', version: '0.1.0', time_zone: 'Asia/Yekaterinburg' };

export const demoUsers = {
  resident: {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'Иванова Мария Петровна',
    role: 'resident',
    login: 'resident@demo.test',
    organisation: null,
  },
  dispatcher: {
    id: '00000000-0000-4000-8000-000000000004',
    name: 'Петров Сергей Иванович',
    role: 'dispatcher',
    login: 'dispatcher@demo.test',
    organisation: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Департамент городского хозяйства' },
  },
} satisfies Record<string, Me>;

export function loginResponse(user: Me, token = `token-for-${user.login}`) {
  return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, user });
}
