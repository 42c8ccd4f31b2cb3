// Not done, then the housing inspection: an order, not complied with, a fine.
import { apiResidentComplaint, apiToken, apiTransition } from '../lib/api.mjs';
import { assert, assertEqual } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { row, signIn, waitForPath, waitStatus } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('story b: not done → inspection → order → not complied with → fine', async ({ browser }) => {
  const complaint = await apiResidentComplaint();
  const companyToken = await apiToken('company@demo.test');
  await apiTransition(companyToken, complaint.id, { type: 'accept' });
  await apiTransition(companyToken, complaint.id, { type: 'report_done', note: 'Водосток закреплён.' });

  const dispatcher = await openPage(browser);
  await signIn(dispatcher.page, 'dispatcher@demo.test');
  await waitForPath(dispatcher.page, '/dispatcher');
  await dispatcher.page.goto(`${BASE_URL}/dispatcher/verification`);
  const item = row(dispatcher.page, complaint.number);
  await item.getByTestId('outcome-not_done').click();
  await item.waitFor({ state: 'detached' });
  await dispatcher.close();

  const { page, close } = await openPage(browser);
  await signIn(page, 'inspector@demo.test');
  await waitForPath(page, '/inspector');
  await row(page, complaint.number).waitFor();
  await checkA11y(page, 'inspector: queue');
  await screenshot(page, 'main-inspector');
  await row(page, complaint.number).getByRole('link', { name: complaint.number }).click();
  await waitStatus(page, 'under_inspection');
  await checkA11y(page, 'inspector: complaint under inspection');
  await page.getByLabel('Что установлено на месте').fill('Водосток не закреплён, вода течёт на крыльцо.');
  await page.getByRole('button', { name: 'Записать результаты' }).click();
  await page.getByTestId('timeline').getByText('Нарушение выявлено').waitFor();

  // Due a few seconds ahead, typed as Surgut time (UTC+5) into the datetime-local field.
  const dueAt = Date.now() + 8_000;
  const local = new Date(dueAt + 5 * 3600_000).toISOString().slice(0, 19);
  await page.getByTestId('order-due').fill(local);
  await page.getByLabel('Текст предписания').fill('Закрепить водосток над входом в подъезд.');
  await page.getByRole('button', { name: 'Выдать предписание' }).click();
  await waitStatus(page, 'in_progress');
  await page.getByTestId('order').waitFor();
  assertEqual(await page.getByTestId('complaint-round').textContent(), '2-й', 'the order starts a new round');
  await checkA11y(page, 'inspector: order issued');

  await page.waitForTimeout(Math.max(dueAt - Date.now() + 1_500, 0));
  await page.reload();
  await page.getByTestId('complied-no').click();
  await waitStatus(page, 'under_inspection');
  await page.getByText('Не исполнено в срок.').waitFor();
  // The article from the register, the company as the offender, an amount within the range.
  await page.getByLabel('Статья КоАП РФ').selectOption('19.5 ч.1');
  await page.getByLabel('Кому').selectOption('legal_entity');
  await page.getByLabel('Сумма, ₽').fill('25000');
  await page.getByRole('button', { name: 'Записать штраф' }).click();
  await page.getByText(/Сумма должна быть от 10.000.₽ до 20.000.₽/).waitFor();
  await page.getByLabel('Сумма, ₽').fill('15000');
  await page.getByRole('button', { name: 'Записать штраф' }).click();
  const fines = page.getByTestId('fines');
  await fines.waitFor();
  const text = (await fines.textContent())?.replace(/\s/g, ' ') ?? '';
  assert(/15.000.₽/.test(text) && text.includes('КоАП РФ ст. 19.5 ч.1'), `the fine is shown: ${JSON.stringify(text)}`);
  await checkA11y(page, 'inspector: fine recorded');
  await screenshot(page, 'complaint-fine');
  await close();
});
