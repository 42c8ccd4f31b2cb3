// The administrator's data-driven rules: the policy («Регламент») refuses an out-of-range value
// naming the field and saves a valid change as a new version; the production calendar refuses a
// bad year naming the field and takes a good one, shown as confirmed.
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { test } from '../lib/tests.mjs';

test('admin policy and calendar: out-of-range value refused by field, a new version listed; a calendar year refused, then uploaded', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await signIn(page, 'admin@demo.test');
  await waitForPath(page, '/admin');

  await page.getByRole('link', { name: 'Регламент', exact: true }).click();
  await waitForPath(page, '/admin/policy');
  const form = page.getByTestId('policy-form');
  await form.waitFor();
  const rowsBefore = await page.getByTestId('policy-version-row').count();
  const calls = form.getByLabel('Звонков без ответа до закрытия');
  await calls.fill('11');
  await form.getByRole('button', { name: 'Сохранить новую версию' }).click();
  await form.locator('.field--invalid', { hasText: 'Звонков без ответа до закрытия' }).locator('.field__error', { hasText: 'Укажите число от 1 до 10' }).waitFor();
  await calls.fill('4');
  await form.getByRole('button', { name: 'Сохранить новую версию' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="policy-version-row"]').length === n + 1, rowsBefore);
  const version = String(rowsBefore + 1);
  await page.getByText(`Действующая версия ${version}`, { exact: true }).waitFor();
  const newest = await page.getByTestId('policy-version-row').first().textContent();
  assert((newest ?? '').startsWith(version) && (newest ?? '').includes('admin@demo.test'), `the new version with its editor: ${newest}`);
  await checkA11y(page, 'admin: policy');

  await page.getByRole('link', { name: 'Производственный календарь', exact: true }).click();
  await waitForPath(page, '/admin/calendar');
  const y2027 = page.getByTestId('calendar-year-2027');
  await y2027.getByText('Не утверждён').waitFor();
  const upload = page.getByTestId('calendar-upload');
  const json = upload.getByLabel('Или вставьте JSON');
  // 2027-01-04 is a Monday: not a working weekend day.
  await json.fill(JSON.stringify({ years: { 2027: { working_weekends: ['2027-01-04'], source: 'e2e' } } }));
  await upload.getByRole('button', { name: 'Загрузить' }).click();
  await upload.getByRole('alert').getByText('years.2027.working_weekends[0]', { exact: false }).waitFor();
  await y2027.getByText('Не утверждён').waitFor();
  await json.fill(
    JSON.stringify({
      years: { 2027: { days_off_weekdays: ['2027-01-01', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'], working_weekends: [], shortened: [], source: 'e2e: ПП РФ' } },
    }),
  );
  await upload.getByRole('button', { name: 'Загрузить' }).click();
  await upload.getByRole('status').getByText('Календарь на 2027 год загружен').waitFor();
  await y2027.getByText('Утверждён', { exact: true }).waitFor();
  await y2027.getByText('admin@demo.test', { exact: false }).waitFor();
  await checkA11y(page, 'admin: production calendar');
  await close();
});
