// The public home page, in Russian by default.
import { assert, assertEqual } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { checkPilotBanner, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('home page: Russian by default, pilot banner, sign-in and API docs links', async ({ browser, meta }) => {
  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/`);
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  assert(heading?.includes('Жалобы на управляющую компанию'), `home heading is ${JSON.stringify(heading)}`);
  assertEqual(await page.locator('html').getAttribute('lang'), 'ru', 'html lang');
  await checkPilotBanner(page, meta, 'Сервис работает в тестовом режиме');
  await page.getByText(`Город: ${meta.city}`).waitFor();
  const docsHref = await page.getByRole('link', { name: 'Документация API' }).first().getAttribute('href');
  const docs = await fetch(new URL(docsHref ?? '', `${BASE_URL}/`));
  assert(docs.ok, `the API docs link ${docsHref} answered ${docs.status}`);
  await checkA11y(page, 'public: home');
  await screenshot(page, 'home-ru');
  await page.getByRole('link', { name: 'Войти в систему' }).click();
  await waitForPath(page, '/login');
  await page.getByRole('heading', { level: 1, name: 'Вход в систему' }).waitFor();
  await checkA11y(page, 'public: sign-in');
  await close();
});
