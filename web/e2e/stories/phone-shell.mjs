// The public pages and a role page on a 375 px phone.
import { assert } from '../lib/assert.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('375 px phone: home, sign-in and role page fit the screen', async ({ browser }) => {
  const { page, close } = await openPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  /** @param {string} what */
  const fits = async (what) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `${what} is ${width}px wide on a 375px screen`);
  };
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await fits('the home page');
  await screenshot(page, 'mobile-home');
  await signIn(page, 'company@demo.test');
  await waitForPath(page, '/company');
  await page.getByRole('heading', { level: 1, name: 'Очередь жалоб' }).waitFor();
  await fits('the role page');
  await screenshot(page, 'mobile-company');
  await close();
});
