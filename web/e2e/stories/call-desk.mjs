// The call desk (issue 16): a call another dispatcher has taken shows who has it; taken back, the
// dispatcher takes it, records "no answer", and a second "no answer" at once is refused.
import { apiAs, apiResidentComplaint, apiToken, apiTransition, apiUser } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { row, signIn, waitForPath } from '../lib/pages.mjs';
import { test } from '../lib/tests.mjs';

test('call desk: one dispatcher per call, and a gap between unanswered attempts', async ({ browser }) => {
  const complaint = await apiResidentComplaint('Ленина 1', 'entrance_door');
  const company = await apiToken('company@demo.test');
  await apiTransition(company, complaint.id, { type: 'accept' });
  await apiTransition(company, complaint.id, { type: 'report_done', note: 'Дверь отремонтирована.' });
  const other = await apiToken('dispatcher2@demo.test');
  const otherName = (await apiUser('dispatcher2@demo.test')).name;
  await apiAs(other, `/api/v1/calls/${complaint.id}/claim`, { method: 'POST' });

  const { page, close } = await openPage(browser);
  await signIn(page, 'dispatcher@demo.test');
  await waitForPath(page, '/dispatcher');
  await page.goto(`${BASE_URL}/dispatcher/verification`);
  const item = row(page, complaint.number);
  await item.waitFor();
  const holder = await item.getByTestId('call-holder').textContent();
  assert(holder?.includes(otherName), `the holder is named: ${JSON.stringify(holder)}`);
  assert(await item.getByTestId('claim-call').isDisabled(), 'a call taken by another cannot be taken');
  await checkA11y(page, 'dispatcher: call desk');

  const released = await fetch(`${BASE_URL}/api/v1/calls/${complaint.id}/claim`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${other}` },
  });
  assert(released.status === 204, `given back: ${released.status}`);
  await page.reload();
  await item.getByTestId('claim-call').click();
  await item.getByTestId('release-call').waitFor();
  await item.getByTestId('call-holder').getByText('вы').waitFor();

  await item.getByTestId('outcome-no_answer').click();
  await page.getByText('Записано: Не дозвонились.').waitFor();
  await page.reload();
  await item.waitFor();
  const attempts = await item.getByTestId('call-attempts').textContent();
  assert(attempts?.includes('без ответа: 1'), `one unanswered attempt: ${JSON.stringify(attempts)}`);
  const next = await item.getByTestId('call-next').textContent();
  assert(!next?.includes('сейчас'), `the next call waits for the gap: ${JSON.stringify(next)}`);
  await item.getByTestId('outcome-no_answer').click();
  await item.getByTestId('action-error').getByText('Повторный звонок пока рано').waitFor();
  await close();
});
