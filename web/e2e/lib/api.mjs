// Calls to the API directly (not through the browser): to set up a story and to learn what the pages should show.
import { assert } from './assert.mjs';
import { BASE_URL, PASSWORD } from './config.mjs';

/**
 * Calls the API directly (not through the browser), to learn what the pages should show.
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
export async function apiJson(path, init) {
  const response = await fetch(`${BASE_URL}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init?.headers ?? {}) },
  });
  assert(response.ok, `${init?.method ?? 'GET'} ${path} answered ${response.status}`);
  return response.json();
}

/**
 * The demo user as the API describes them.
 * @param {string} login
 */
export async function apiUser(login) {
  const body = await apiJson('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login, password: PASSWORD }) });
  return body.user;
}

/** @param {string} login */
export async function apiToken(login) {
  const body = await apiJson('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login, password: PASSWORD }) });
  return /** @type {string} */ (body.access_token);
}

/** @param {string} token @param {string} path @param {RequestInit} [init] */
export function apiAs(token, path, init = {}) {
  return apiJson(path, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
}

/** Applies one transition through the API, with the complaint's current version. @param {string} token @param {string} id @param {object} body */
export async function apiTransition(token, id, body) {
  const current = await apiAs(token, `/api/v1/complaints/${id}`);
  return apiAs(token, `/api/v1/complaints/${id}/transitions`, {
    method: 'POST',
    headers: { 'If-Match': `"${current.version}"` },
    body: JSON.stringify(body),
  });
}

/** @param {string} code */
export async function categoryId(code) {
  const categories = await apiJson('/api/v1/categories');
  const found = categories.find((/** @type {any} */ c) => c.code === code);
  assert(found, `no category ${code}`);
  return /** @type {string} */ (found.id);
}

/** @param {string} q */
export async function buildingId(q) {
  const buildings = await apiJson(`/api/v1/buildings?q=${encodeURIComponent(q)}&limit=1`);
  assert(buildings[0], `no building for ${q}`);
  return /** @type {string} */ (buildings[0].id);
}

/** A complaint filed by the demo resident through the API (for the parts of the story that start later). */
export async function apiResidentComplaint(address = 'Ленина 11', category = 'gutters') {
  const token = await apiToken('resident@demo.test');
  const created = await apiAs(token, '/api/v1/complaints', {
    method: 'POST',
    headers: { 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      building_id: await buildingId(address),
      category_id: await categoryId(category),
      description: 'Водосток оторван, вода льётся на крыльцо.',
    }),
  });
  return /** @type {{ id: string; number: string }} */ (created.complaint);
}
