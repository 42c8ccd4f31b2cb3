// A resident registers with consent, then withdraws a complaint.
import { apiAs, apiJson, buildingId, categoryId } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { waitForPath, waitStatus } from '../lib/pages.mjs';
import { test } from '../lib/tests.mjs';

test('resident registration with consent, then the withdraw confirmation', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/register`);
  await checkA11y(page, 'public: registration');
  const phone = `+79${String(Date.now()).slice(-9)}`;
  await page.getByLabel('ФИО', { exact: true }).fill('Соколова Екатерина Андреевна');
  await page.getByLabel('Телефон', { exact: true }).fill(phone);
  await page.getByLabel('Пароль', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await page.getByText('Без согласия на обработку персональных данных жалобу принять нельзя.').waitFor();
  await page.getByLabel('Я согласен на обработку персональных данных').check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await waitForPath(page, '/resident');
  await page.getByText('Вы ещё не подавали жалоб.').waitFor();

  // Her first complaint, filed through the API, then withdrawn in the browser after a confirmation.
  const signedIn = await apiJson('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login: phone, password: 'correct horse battery' }) });
  const created = await apiAs(signedIn.access_token, '/api/v1/complaints', {
    method: 'POST',
    headers: { 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ building_id: await buildingId('Ленина 1'), category_id: await categoryId('broken_glass'), description: 'Разбито стекло на 3-м этаже.' }),
  });
  await page.goto(`${BASE_URL}/complaints/${created.complaint.id}`);
  await waitStatus(page, 'registered');
  await page.getByRole('button', { name: 'Отозвать…' }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor();
  assert(await dialog.evaluate((el) => el === document.activeElement), 'the confirmation takes focus');
  await checkA11y(page, 'resident: withdraw confirmation');
  await dialog.getByRole('button', { name: 'Нет, оставить' }).click();
  await page.getByRole('button', { name: 'Отозвать…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Да, отозвать' }).click();
  await waitStatus(page, 'withdrawn');
  await close();
});
