// Steps and checks that many stories share: signing in, waiting for a page, the header, rows.
import { assert } from './assert.mjs';
import { BASE_URL, PASSWORD } from './config.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** @param {Page} page @param {string} login @param {string} password */
export async function signIn(page, login, password = PASSWORD) {
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel('Логин', { exact: true }).fill(login);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
}

/** @param {Page} page @param {string} path */
export async function waitForPath(page, path) {
  await page.waitForURL((url) => url.pathname === path);
}

/**
 * The role's main screen: its heading, and the header naming the user and their role.
 * @param {Page} page @param {any} user @param {{ roleName: string; heading: string }} expected
 */
export async function checkRolePage(page, user, expected) {
  await page.getByRole('heading', { level: 1, name: expected.heading }).waitFor();
  const header = await page.getByTestId('current-user').textContent();
  assert(header?.includes(user.name) && header.includes(expected.roleName), `header shows ${JSON.stringify(header)}`);
}

/** @param {Page} page @param {any} meta @param {string} text */
export async function checkPilotBanner(page, meta, text) {
  const banner = page.getByTestId('pilot-banner');
  if (meta.pilot_mode) {
    await banner.waitFor();
    const shown = await banner.textContent();
    assert(shown?.includes(text), `pilot banner says ${JSON.stringify(shown)}, expected ${JSON.stringify(text)}`);
  } else {
    assert((await banner.count()) === 0, 'a pilot banner is shown outside pilot mode');
  }
}

/** @param {Page} page @param {string} status */
export async function waitStatus(page, status) {
  await page.locator(`[data-testid="complaint-page"][data-status="${status}"]`).waitFor();
}

/** @param {Page} page @param {string} number */
export function row(page, number) {
  return page.locator(`[data-testid="complaint-row"][data-number="${number}"]`);
}
