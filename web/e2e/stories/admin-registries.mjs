// The admin registries: categories, buildings with a CSV import, organisations, API keys.
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { docShot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('admin registries: a new category reaches the filing form; CSV import report; organisations; API keys', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'admin@demo.test');
  await waitForPath(page, '/admin');
  await page.getByRole('link', { name: 'Категории', exact: true }).click();
  await waitForPath(page, '/admin/categories');
  await page.getByTestId('category-table').waitFor();
  const code = `snow_${Date.now().toString(36)}`;
  const form = page.getByTestId('category-form');
  // A 422 first: the server's English message is shown in Russian.
  await form.getByLabel('Код', { exact: true }).fill('X');
  await form.getByRole('button', { name: 'Создать' }).click();
  await form.locator('.field__error', { hasText: 'От 2 до 64 символов' }).waitFor();
  await form.getByLabel('Код', { exact: true }).fill(code);
  await form.getByLabel('Название по-русски').fill('Снег и наледь на кровле');
  await form.getByLabel('Название по-английски').fill('Snow and ice on the roof');
  await form.getByLabel('Срок устранения').fill('1');
  await form.getByLabel('Единица срока').selectOption('calendar_days');
  await form.getByRole('button', { name: 'Создать' }).click();
  await page.getByTestId('category-saved').waitFor();
  await page.locator(`[data-testid="category-row"][data-code="${code}"]`).waitFor();
  await checkA11y(page, 'admin: categories');

  await page.getByRole('link', { name: 'Дома', exact: true }).click();
  await waitForPath(page, '/admin/buildings');
  await page.getByTestId('building-table').waitFor();
  const street = `Импортная ${Date.now().toString(36)}`;
  const csv = `address;district;latitude;longitude;company_inn\n"г. Сургут, улица ${street}, д. 1";Центральный;61,2551;73,3844;\n;Центральный;;;\n"г. Сургут, улица ${street}, д. 2";Северный;100;73;\n`;
  await page.getByTestId('csv-input').setInputFiles({ name: 'doma.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('csv-import').click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  const reportText = (await report.textContent()) ?? '';
  assert(reportText.includes('Добавлено домов: 1'), `import report: ${reportText}`);
  assert(reportText.includes('Строка 3') && reportText.includes('Строка 4'), `rejected lines in the report: ${reportText}`);
  assert(reportText.includes('Укажите число от -90 до 90'), `localised row errors: ${reportText}`);
  await page.getByTestId('building-search').fill(street);
  await page.getByTestId('building-table').getByRole('cell', { name: `г. Сургут, улица ${street}, д. 1`, exact: true }).waitFor();
  await checkA11y(page, 'admin: buildings and CSV import');
  await page.getByTestId('building-search').fill('');
  await page.getByTestId('building-table').getByRole('row').nth(5).waitFor();
  await docShot(page, 'admin-registries');

  await page.getByRole('link', { name: 'Организации', exact: true }).click();
  await waitForPath(page, '/admin/organisations');
  const orgs = page.getByTestId('admin-organisations');
  await orgs.getByRole('cell', { name: 'ООО «УК Северный город»', exact: true }).first().waitFor();
  await orgs.getByTestId('org-kind-filter').selectOption('tos_office');
  await page.waitForFunction(() => {
    const cells = Array.from(document.querySelectorAll('[data-testid="admin-organisations"] td'), (td) => td.textContent);
    return cells.length > 0 && !cells.includes('ООО «УК Северный город»');
  });
  await checkA11y(page, 'admin: organisations');

  await page.getByRole('link', { name: 'API-ключи', exact: true }).click();
  await waitForPath(page, '/admin/api-keys');
  await page.getByLabel('Назначение').fill('1С: УК Северный город');
  await page.getByLabel('Организация').selectOption({ label: 'ООО «УК Северный город»' });
  // Only what a management company's staff may do is offered.
  await page.getByLabel(/Работа с очередью/).check();
  assert((await page.getByLabel(/Проверки и предписания/).count()) === 0, 'a company key is never offered the inspection scope');
  await page.getByRole('button', { name: 'Создать ключ' }).click();
  const key = (await page.getByTestId('new-key-value').textContent()) ?? '';
  assert(key.startsWith('dk_'), `the new key is shown once: ${key}`);
  const queue = await fetch(`${BASE_URL}/api/v1/complaints?limit=1`, { headers: { 'X-Api-Key': key } });
  assert(queue.status === 200, `the key reads its company's queue: ${queue.status}`);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: /Новый секрет/ }).first().click();
  await page.waitForFunction((old) => {
    const shown = Array.from(document.querySelectorAll('[data-testid="new-key-value"]'), (n) => n.textContent);
    return shown.some((text) => text && text.startsWith('dk_') && text !== old);
  }, key);
  await checkA11y(page, 'admin: API keys');
  await close();

  const resident = await openPage(browser);
  await signIn(resident.page, 'resident@demo.test');
  await waitForPath(resident.page, '/resident');
  await resident.page.goto(`${BASE_URL}/resident/new`);
  await resident.page.getByTestId('category-select').locator('option', { hasText: 'Снег и наледь на кровле' }).waitFor({ state: 'attached' });
  await resident.close();
});
