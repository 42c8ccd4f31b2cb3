// Each demo role signs in and sees its own page; the role gate.
import { apiUser } from '../lib/api.mjs';
import { assertEqual } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL, ROLES } from '../lib/config.mjs';
import { checkPilotBanner, checkRolePage, signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

for (const expected of ROLES) {
  test(`${expected.role}: signs in and sees their own role page`, async ({ browser, meta }) => {
    const user = await apiUser(expected.login);
    assertEqual(user.role, expected.role, `role of ${expected.login} in the API`);
    const { page, close } = await openPage(browser);
    await signIn(page, expected.login);
    await waitForPath(page, `/${expected.role}`);
    await checkRolePage(page, user, { roleName: expected.ru, heading: expected.heading });
    await checkPilotBanner(page, meta, 'Сервис работает в тестовом режиме');
    await checkA11y(page, `main screen: ${expected.role}`);
    await screenshot(page, `role-${expected.role}`);
    await page.getByRole('button', { name: 'Выйти' }).click();
    await waitForPath(page, '/login');
    await page.getByText('Вы вышли из системы.').waitFor();
    await close();
  });
}

test('role gate: a resident who opens /admin is pointed to their own page', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await page.goto(`${BASE_URL}/admin`);
  await page.getByRole('heading', { level: 1, name: 'Эта страница для другой роли' }).waitFor();
  await page.getByRole('link', { name: 'Перейти на свою страницу' }).click();
  await waitForPath(page, '/resident');
  await close();
});
