// Signing in and out through the form, the language switch, a wrong password, the keyboard.
import { apiUser } from '../lib/api.mjs';
import { assert, assertEqual } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL, PASSWORD, ROLES } from '../lib/config.mjs';
import { checkPilotBanner, checkRolePage, signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('dispatcher: signs in through the form, sees the role page in Russian, then English, signs out', async ({
  browser,
  meta,
}) => {
  const expected = ROLES.find((r) => r.role === 'dispatcher');
  assert(expected, 'dispatcher is a demo role');
  const user = await apiUser(expected.login);
  const { page, close } = await openPage(browser);

  await page.goto(`${BASE_URL}/`);
  await page.getByRole('link', { name: 'Войти в систему' }).click();
  await waitForPath(page, '/login');
  await page.getByLabel('Логин', { exact: true }).fill(expected.login);
  await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await waitForPath(page, '/dispatcher');
  await checkRolePage(page, user, { roleName: expected.ru, heading: expected.heading });
  await checkPilotBanner(page, meta, 'Сервис работает в тестовом режиме');
  await screenshot(page, 'dispatcher-ru');

  await page.getByRole('button', { name: 'English' }).click();
  await checkRolePage(page, user, { roleName: expected.en, heading: expected.headingEn });
  await page.getByRole('link', { name: 'Verification calls' }).first().waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await checkA11y(page, 'dispatcher board (en)');
  await checkPilotBanner(page, meta, 'The service is running in test mode');
  assertEqual(await page.locator('html').getAttribute('lang'), 'en', 'html lang after switching');
  await screenshot(page, 'dispatcher-en');

  // Both the session and the language survive a reload.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: expected.headingEn }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await waitForPath(page, '/login');
  await page.getByText('You have signed out.').waitFor();
  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByRole('heading', { level: 1, name: 'Вход в систему' }).waitFor();

  // The token is gone: the role page sends us back to the sign-in form.
  await page.goto(`${BASE_URL}/dispatcher`);
  await waitForPath(page, '/login');
  await page.getByText('Чтобы открыть эту страницу, войдите в систему.').waitFor();
  await close();
});

test('wrong password: the server’s problem is shown at the form', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'dispatcher@demo.test', 'not-the-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.textContent();
  assert(text?.includes('Неверный логин или пароль.'), `the alert says ${JSON.stringify(text)}`);
  assert(new URL(page.url()).pathname === '/login', 'stayed on the sign-in page');
  await screenshot(page, 'login-error');
  await close();
});

test('keyboard only: the login field has focus, Tab and Enter sign in', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/login`);
  const focused = await page.getByLabel('Логин', { exact: true }).evaluate((el) => el === document.activeElement);
  assert(focused, 'the login field has focus when the page opens');
  await page.keyboard.type('resident@demo.test');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await waitForPath(page, '/resident');
  const who = await page.getByTestId('current-user').textContent();
  assert(who?.includes('Иванова Мария Петровна'), `the header shows ${JSON.stringify(who)}`);
  await close();
});
