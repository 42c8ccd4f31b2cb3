// Browser contexts for the tests: each opens its own, and a page error fails the test.
import { assert } from './assert.mjs';
import { TIMEOUT_MS } from './config.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Browser} Browser */

/** Contexts the running test opened; a failed test leaves a screenshot of each. */
/** @type {{ page: Page; context: import('playwright-core').BrowserContext }[]} */
let openContexts = [];

/**
 * Opens a fresh browser context (empty storage) and fails the test on any page error.
 * @param {Browser} browser
 * @param {import('playwright-core').BrowserContextOptions} [options]
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ru-RU', ...options });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  openContexts.push({ page, context });
  /** @type {string[]} */
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // A 401 from a wrong password is logged by Chromium as a failed resource; that is expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(message.text());
    }
  });
  return {
    page,
    async close() {
      openContexts = openContexts.filter((open) => open.context !== context);
      await context.close();
      assert(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);
    },
  };
}

/** The pages of the contexts the running test left open (the runner screenshots them on failure). */
export function openPages() {
  return openContexts.map((open) => open.page);
}

/** Closes whatever the running test left open. */
export async function closeAll() {
  for (const { context } of openContexts) await context.close().catch(() => {});
  openContexts = [];
}
