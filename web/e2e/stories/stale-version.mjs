// A complaint changed by someone else meanwhile (412).
import { apiResidentComplaint, apiToken, apiTransition } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { signIn, waitForPath, waitStatus } from '../lib/pages.mjs';
import { test } from '../lib/tests.mjs';

test('412: a complaint changed meanwhile asks for a reload', async ({ browser }) => {
  const complaint = await apiResidentComplaint('Ленина 1', 'entrance_door');
  const { page, close } = await openPage(browser);
  await signIn(page, 'company@demo.test');
  await waitForPath(page, '/company');
  await page.goto(`${BASE_URL}/complaints/${complaint.id}`);
  await waitStatus(page, 'registered');
  await apiTransition(await apiToken('company@demo.test'), complaint.id, { type: 'pause_clock', reason: 'Нет доступа в подъезд' });
  await page.getByRole('button', { name: 'Принять в работу' }).click();
  const stale = page.getByTestId('stale-version');
  await stale.waitFor();
  assert((await stale.textContent())?.includes('Жалобу уже изменил кто-то другой — обновите страницу'), 'the 412 message');
  await checkA11y(page, 'company: 412 notice');
  await stale.getByRole('button', { name: 'Обновить' }).click();
  await page.getByRole('button', { name: 'Возобновить' }).waitFor();
  await page.getByRole('button', { name: 'Принять в работу' }).click();
  await waitStatus(page, 'in_progress');
  await close();
});
