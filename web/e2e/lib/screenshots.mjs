// Screenshots: full pages for the e2e run, clean viewports for the README, a sample "photo".
import { assert } from './assert.mjs';
import { BASE_URL, DOC_SHOTS, SHOTS } from './config.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** @param {Page} page @param {string} name */
export async function screenshot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/**
 * A clean screenshot for the README: the visible 1280×800 (or phone) viewport, no error banner.
 * @param {Page} page @param {string} name @param {boolean} [keepScroll]
 */
export async function docShot(page, name, keepScroll = false) {
  const errors = await page.locator('.notice--error:visible, [data-testid="form-error"]:visible').count();
  assert(errors === 0, `an error banner is on the page for ${name}.png`);
  await page.evaluate(() => /** @type {any} */ (document.activeElement)?.blur?.());
  if (!keepScroll) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${DOC_SHOTS}${name}.png`, fullPage: false });
}

/** A PNG "photo" of the work: a screenshot of part of a page. @param {Page} page */
export async function samplePhoto(page) {
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page.screenshot({ clip: { x: 0, y: 0, width: 480, height: 320 } });
}
