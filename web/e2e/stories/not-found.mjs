// An unknown route.
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('unknown route: a not-found page', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  const response = await page.goto(`${BASE_URL}/no/such/page`);
  assert(response?.ok(), `the SPA fallback answered ${response?.status()}`);
  await page.getByRole('heading', { level: 1, name: 'Страница не найдена' }).waitFor();
  await checkA11y(page, 'public: not found');
  await screenshot(page, 'not-found');
  await close();
});
