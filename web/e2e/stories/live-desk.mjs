// Issue 16, the dispatch desk at city scale: a complaint filed in one browser appears on the
// dispatcher's open board and on the company's queue in others without reloading them, the reroute picker finds the 150th
// of 200 new companies by typing, and a second tab is signed in (and signed out with the first).
import { apiAs, apiToken } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { row, signIn, waitForPath, waitStatus } from '../lib/pages.mjs';
import { categoryId } from '../lib/api.mjs';
import { test } from '../lib/tests.mjs';

test('issue 16: a new complaint shows up on the open board and the company queue; the reroute picker finds the 150th company', async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const admin = await apiToken('admin@demo.test');
  for (let n = 1; n <= 200; n += 1) {
    await apiAs(admin, '/api/v1/admin/organisations', {
      method: 'POST',
      body: JSON.stringify({ kind: 'management_company', name: `ООО «Квартал ${stamp}-${String(n).padStart(3, '0')}»` }),
    });
  }

  // The dispatcher's board is open, newest first, before the complaint exists.
  const desk = await openPage(browser);
  await signIn(desk.page, 'dispatcher@demo.test');
  await waitForPath(desk.page, '/dispatcher');
  await desk.page.goto(`${BASE_URL}/dispatcher?sort=newest`);
  await desk.page.getByTestId('board-list').waitFor();

  // The management company's queue is open too, in a browser of its own.
  const office = await openPage(browser);
  await signIn(office.page, 'company@demo.test');
  await waitForPath(office.page, '/company');
  await office.page.getByTestId('company-queue').locator('p.muted[role="status"]').waitFor();

  // resident2: the other stories use up much of resident's daily filing limit.
  const home = await openPage(browser);
  await signIn(home.page, 'resident2@demo.test');
  await waitForPath(home.page, '/resident');
  await home.page.getByTestId('new-complaint').click();
  const address = home.page.getByRole('combobox', { name: 'Адрес дома' });
  await address.fill('Ленина 1');
  await home.page.getByRole('listbox').getByRole('option').first().waitFor();
  await home.page.keyboard.press('ArrowDown');
  await home.page.keyboard.press('Enter');
  await home.page.getByLabel('Квартира').fill('5');
  await home.page.getByLabel('Что случилось').selectOption(await categoryId('roof_leak'));
  await home.page.getByLabel('Описание проблемы').fill(`Протекает кровля, живая доска ${stamp}.`);
  await home.page.getByRole('button', { name: 'Подать жалобу', exact: true }).click();
  await waitStatus(home.page, 'registered');
  const heading = (await home.page.getByRole('heading', { level: 1 }).textContent()) ?? '';
  const number = /СУР-\d{4}-\d{6}/.exec(heading)?.[0];
  assert(number, `complaint number in ${JSON.stringify(heading)}`);
  await home.close();

  // No reload and no click on the board: a quiet marker says something new arrived.
  const marker = desk.page.getByTestId('live-new');
  await marker.waitFor();
  assert((await row(desk.page, number).count()) === 0, 'the list did not jump by itself');
  await marker.click();
  await row(desk.page, number).waitFor();

  // The company's queue got the same quiet marker, without a click or a reload; pressed, it
  // shows the new complaint.
  const officeMarker = office.page.getByTestId('live-new');
  await officeMarker.waitFor();
  assert((await row(office.page, number).count()) === 0, 'the company queue did not jump by itself');
  await officeMarker.click();
  await row(office.page, number).waitFor();
  await office.close();

  // Reroute it to the 150th company, found by typing part of its name.
  await row(desk.page, number).getByTestId('complaint-link').click();
  await waitStatus(desk.page, 'registered');
  const picker = desk.page.getByTestId('reroute-company-input');
  await picker.fill(`квартал ${stamp}-150`);
  await desk.page.getByRole('listbox').getByRole('option', { name: `ООО «Квартал ${stamp}-150»` }).waitFor();
  await desk.page.keyboard.press('ArrowDown');
  assert(await picker.getAttribute('aria-activedescendant'), 'the combobox points at the highlighted option');
  await desk.page.keyboard.press('Enter');
  const chosen = (await desk.page.getByTestId('reroute-company-chosen').textContent()) ?? '';
  assert(chosen.includes(`Квартал ${stamp}-150`), `chosen: ${JSON.stringify(chosen)}`);

  // A second tab signs itself in with the HttpOnly refresh cookie (Secure, kept by Chromium on
  // http://127.0.0.1, a secure context), and signing out in the first ends it too.
  const second = await desk.page.context().newPage();
  await second.goto(`${BASE_URL}/dispatcher`);
  await second.getByTestId('dispatcher-board').waitFor();
  const cookies = await desk.page.context().cookies();
  const refresh = cookies.find((c) => c.name === 'dispatch_refresh');
  assert(refresh?.httpOnly && refresh.secure && refresh.sameSite === 'Strict', `the refresh cookie: ${JSON.stringify(refresh)}`);
  await desk.page.getByRole('button', { name: 'Выйти', exact: true }).click();
  await second.waitForURL((url) => url.pathname === '/login');
  await second.close();
  await desk.close();
});
