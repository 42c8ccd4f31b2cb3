// The filing form, the complaint page and the control board on a 375 px phone.
import { assert } from '../lib/assert.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { story } from '../lib/state.mjs';
import { test } from '../lib/tests.mjs';

test('375 px phone: the resident form and the dispatcher board fit the screen', async ({ browser }) => {
  const { page, close } = await openPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  /** @param {string} what */
  const fits = async (what) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `${what} is ${width}px wide on a 375px screen`);
  };
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await page.goto(`${BASE_URL}/resident/new`);
  await page.getByRole('combobox', { name: 'Адрес дома' }).waitFor();
  await fits('the complaint form');
  await screenshot(page, 'mobile-resident-form');
  if (story.id) {
    await page.goto(`${BASE_URL}/complaints/${story.id}`);
    await page.getByTestId('timeline').waitFor();
    await fits('the complaint page');
    await screenshot(page, 'mobile-complaint');
  }
  await page.getByRole('button', { name: 'Выйти' }).click();
  await signIn(page, 'dispatcher@demo.test');
  await waitForPath(page, '/dispatcher');
  await page.getByTestId('board-list').waitFor();
  await fits('the control board');
  await screenshot(page, 'mobile-dispatcher');
  await close();
});
