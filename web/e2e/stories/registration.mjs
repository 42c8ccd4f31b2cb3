// A resident registers with consent, confirms the phone with the code the SMS centre received, then
// withdraws a complaint.
import { apiAs, apiJson, buildingId, categoryId } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { waitForPath, waitStatus } from '../lib/pages.mjs';
import { codeSentTo } from '../lib/sms.mjs';
import { test } from '../lib/tests.mjs';

test('resident registration with consent and the SMS code, then the withdraw confirmation', async ({ browser }) => {
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

  // The code step: not an account until the code from the SMS is entered.
  await page.getByRole('heading', { level: 1, name: 'Введите код из SMS' }).waitFor();
  const resend = page.getByRole('button', { name: /Отправить код ещё раз можно через \d+ с/ });
  await resend.waitFor();
  assert(await resend.isDisabled(), 'the resend button waits for its countdown');
  const input = page.getByLabel('Код из SMS', { exact: true });
  assert((await input.getAttribute('autocomplete')) === 'one-time-code', 'the browser may offer the code from the SMS');
  await checkA11y(page, 'public: registration code');
  const code = await codeSentTo(phone);
  const wrong = `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
  await input.fill(wrong);
  await page.getByRole('button', { name: 'Подтвердить' }).click();
  await page.getByText('Неверный код. Осталось попыток: 4.').waitFor();
  await checkA11y(page, 'public: registration wrong code');
  const refused = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: phone, password: 'correct horse battery' }),
  });
  assert(refused.status === 401, `no account before the code: ${refused.status}`);
  await input.fill(code);
  await page.getByRole('button', { name: 'Подтвердить' }).click();
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
