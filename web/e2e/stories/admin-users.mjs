// The administrator creates a staff account.
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('admin: the users list and a new staff account', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'admin@demo.test');
  await waitForPath(page, '/admin');
  await page.getByRole('cell', { name: 'dispatcher@demo.test' }).waitFor();
  const login = `e2e-${Date.now()}@demo.test`;
  await page.getByLabel('Роль', { exact: true }).selectOption('company');
  await page.getByLabel('Организация', { exact: true }).selectOption({ label: 'ООО «УК Северный город»' });
  await page.getByLabel('ФИО', { exact: true }).fill('Новиков Олег Павлович');
  await page.getByLabel('Логин (e-mail)', { exact: true }).fill(login);
  await page.getByLabel('Начальный пароль', { exact: true }).fill('initial password 2026');
  await page.getByRole('button', { name: 'Создать' }).click();
  await page.getByText(`Учётная запись ${login} создана.`).waitFor();
  await page.getByRole('cell', { name: login }).waitFor();
  await checkA11y(page, 'admin: users');
  await screenshot(page, 'main-admin');
  await close();
});
