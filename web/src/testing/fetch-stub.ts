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

export const demoMeta = { pilot_mode: true, city: 'Сургут', version: '0.1.0', time_zone: 'Asia/Yekaterinburg', consent_version: '2026-01' };

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

export const demoCategories = [
  {
    id: '00000000-0000-4000-8000-0000000000c1',
    code: 'roof_leak',
    name_ru: 'Протечка кровли',
    name_en: 'Roof leak',
    emergency: false,
    deadline: { unit: 'calendar_days', value: 1 },
    legal_basis: null,
  },
  {
    id: '00000000-0000-4000-8000-0000000000c2',
    code: 'no_heating',
    name_ru: 'Нет отопления',
    name_en: 'No heating',
    emergency: true,
    deadline: { unit: 'hours', value: 24 },
    legal_basis: null,
  },
];

export const demoBuildings = [
  { id: '00000000-0000-4000-8000-0000000000b1', address: 'г. Сургут, проспект Ленина, д. 1', district: 'Центральный', company_id: null },
  { id: '00000000-0000-4000-8000-0000000000b2', address: 'г. Сургут, проспект Ленина, д. 11', district: 'Центральный', company_id: null },
];

/** A complaint as the API returns it; override what a test needs. */
export function demoComplaint(overrides: Record<string, unknown> = {}) {
  return {
    id: '00000000-0000-4000-8000-0000000000f1',
    number: 'СУР-2026-000042',
    status: 'registered',
    round: 1,
    urgent: false,
    overdue: false,
    paused: false,
    category: { id: demoCategories[0]!.id, code: 'roof_leak', name_ru: 'Протечка кровли', name_en: 'Roof leak', emergency: false },
    building: { id: demoBuildings[0]!.id, address: demoBuildings[0]!.address, district: 'Центральный' },
    company: { id: '00000000-0000-4000-8000-0000000000e1', name: 'ООО «УК Северный город»' },
    description: 'Протекает кровля.',
    flat: '12',
    applicant: { name: 'Иванова Мария Петровна', phone: '+7 *** ***-00-01', phone_masked: true },
    registered_at: '2026-11-28T06:00:00Z',
    due_at: '2026-11-29T06:00:00Z',
    answer_due_at: '2026-12-28T06:00:00Z',
    unanswered_calls: 0,
    updated_at: '2026-11-28T06:00:00Z',
    version: 3,
    allowed_actions: [],
    can_attach: true,
    can_reveal_phone: false,
    is_test: true,
    order: null,
    executor: null,
    closed_at: null,
    ...overrides,
  };
}
