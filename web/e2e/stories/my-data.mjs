// A resident's "my data" screen: she downloads everything held about her, then asks for erasure
// with the typed words; the account is closed and no longer signs in.
import { apiAs, apiJson, apiToken, buildingId, categoryId } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { test } from '../lib/tests.mjs';

test('resident: my data — download, then erasure after the typed words', async ({ browser }) => {
  // An account of her own (the demo resident stays for the other stories).
  const admin = await apiToken('admin@demo.test');
  const login = `mydata-${Date.now()}@example.test`;
  const password = 'correct horse battery';
  await apiAs(admin, '/api/v1/admin/users', {
    method: 'POST',
    body: JSON.stringify({ login, name: 'Орлова Вера Павловна', role: 'resident', password }),
  });
  const token = (await apiJson('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login, password }) })).access_token;
  const created = await apiAs(token, '/api/v1/complaints', {
    method: 'POST',
    headers: { 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      building_id: await buildingId('Ленина 1'),
      category_id: await categoryId('broken_glass'),
      description: 'Разбито окно у лифта.',
    }),
  });

  const { page, close } = await openPage(browser);
  await signIn(page, login, password);
  await waitForPath(page, '/resident');
  await page.getByRole('link', { name: 'Мои данные' }).click();
  await waitForPath(page, '/resident/my-data');
  await page.getByRole('heading', { level: 1, name: 'Мои данные' }).waitFor();
  await checkA11y(page, 'resident: my data');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  const saved = JSON.parse(await readFile(path, 'utf8'));
  assert(saved.profile.login === login, `the export names her: ${saved.profile.login}`);
  assert(saved.complaints[0]?.number === created.complaint.number, 'the export holds her complaint');

  const erase = page.getByRole('button', { name: 'Удалить мои данные' });
  const field = page.getByLabel('Для подтверждения введите «УДАЛИТЬ МОИ ДАННЫЕ»');
  await field.fill('удалить');
  assert(await erase.isDisabled(), 'not without the exact words');
  await field.fill('УДАЛИТЬ МОИ ДАННЫЕ');
  await erase.click();
  await page.getByTestId('erasure-report').waitFor();
  await page.getByText('Учётная запись закрыта.', { exact: false }).waitFor();
  const refused = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  assert(refused.status === 401, `the erased account no longer signs in: ${refused.status}`);
  await close();
});
