// Leaving test mode, last of all (it deletes the pilot's complaints the other stories made): the
// administrator counts the test rows in a dry run, the purge button waits for the typed words,
// then the purge deletes them and a second dry run finds none.
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

const WORDS = 'УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ';

/** @param {import('playwright-core').Page} page */
async function totalShown(page) {
  const counts = page.getByTestId('purge-counts');
  await counts.waitFor();
  const total = await counts.locator('tr', { hasText: 'Всего' }).locator('td').textContent();
  return Number(total);
}

test('admin: the purge screen counts the test rows, waits for the typed words, then deletes them', async ({ browser, meta }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'admin@demo.test');
  await waitForPath(page, '/admin');
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Тестовые данные' }).click();
  await waitForPath(page, '/admin/test-data');

  await page.getByRole('button', { name: 'Пробный прогон: посчитать' }).click();
  const before = await totalShown(page);
  const message = (await page.getByTestId('purge-message').textContent()) ?? '';
  if (meta.pilot_mode) {
    assert(before > 0, `the pilot's complaints are test data: ${before}`);
    assert(message.includes(`Будет удалено тестовых строк: ${before}`), `the dry run says how many: ${JSON.stringify(message)}`);
    const complaints = await page.getByTestId('purge-counts').locator('tr', { hasText: 'complaints' }).first().textContent();
    assert(complaints !== null, 'the dry run lists the complaints table');
  }
  await checkA11y(page, 'admin: test data');
  await screenshot(page, 'admin-test-data');

  const purge = page.getByRole('button', { name: 'Удалить тестовые данные' });
  const confirm = page.getByLabel(`Введите «${WORDS}»`);
  assert(await purge.isDisabled(), 'the purge waits for the typed words');
  await confirm.fill('удалить');
  assert(await purge.isDisabled(), 'other words do not unlock it');
  await confirm.fill(WORDS);
  assert(await purge.isEnabled(), 'the exact words unlock it');
  await purge.click();
  // The worker may add a notification between the dry run and the purge: the number is not pinned.
  await page.getByTestId('purge-message').getByText(before > 0 ? /Удалено тестовых строк: \d+/ : /Тестовых данных нет/).waitFor();

  // Nothing is left to delete.
  await page.getByRole('button', { name: 'Пробный прогон: посчитать' }).click();
  await page.getByTestId('purge-message').getByText('Тестовых данных нет').waitFor();
  assert((await totalShown(page)) === 0, 'a second dry run finds no test rows');
  await close();
});
