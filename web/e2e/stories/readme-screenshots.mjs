// The screenshots for the README (docs/screenshots).
import { mkdir } from 'node:fs/promises';
import { apiResidentComplaint, categoryId } from '../lib/api.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL, DOC_SHOTS } from '../lib/config.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { docShot, samplePhoto } from '../lib/screenshots.mjs';
import { story } from '../lib/state.mjs';
import { test } from '../lib/tests.mjs';

test('screenshots for the README (docs/screenshots)', async ({ browser }) => {
  await mkdir(DOC_SHOTS, { recursive: true });
  const view = { viewport: { width: 1280, height: 800 } };
  // Some more realistic complaints for the board and the queue.
  await apiResidentComplaint('Ленина 13', 'no_heating');
  await apiResidentComplaint('Мира 5', 'gutters').catch(() => undefined);

  const visitor = await openPage(browser, view);
  await visitor.page.goto(`${BASE_URL}/`);
  await visitor.page.getByRole('heading', { level: 1 }).waitFor();
  await docShot(visitor.page, 'home');
  await visitor.page.goto(`${BASE_URL}/scorecard`);
  await visitor.page.getByTestId('scorecard-table').waitFor();
  await docShot(visitor.page, 'public-scorecard');
  await visitor.page.goto(`${BASE_URL}/map`);
  await visitor.page.locator('.leaflet-interactive').first().waitFor();
  await docShot(visitor.page, 'public-map');
  await visitor.close();

  const resident = await openPage(browser, view);
  const photo = await samplePhoto(resident.page);
  await signIn(resident.page, 'resident@demo.test');
  await waitForPath(resident.page, '/resident');
  await resident.page.goto(`${BASE_URL}/resident/new`);
  await resident.page.getByRole('combobox', { name: 'Адрес дома' }).fill('Ленина 11');
  await resident.page.getByRole('listbox').getByRole('option').first().click();
  await resident.page.getByTestId('category-select').selectOption(await categoryId('gutters'));
  await resident.page.getByLabel('Описание проблемы', { exact: false }).fill('Водосточная труба оторвана, вода льётся на крыльцо подъезда.');
  await docShot(resident.page, 'resident-file');
  await resident.page.getByTestId('complaint-photos').setInputFiles({ name: 'vodostok.png', mimeType: 'image/png', buffer: photo });
  await resident.page.getByRole('button', { name: 'Подать жалобу' }).click();
  await resident.page.waitForURL((url) => url.pathname.startsWith('/complaints/'));
  await resident.page.getByTestId('attachment-thumb').waitFor();
  await resident.close();

  // The complaint from story a: two rounds, closed; its full history.
  const timeline = await openPage(browser, view);
  await signIn(timeline.page, 'dispatcher@demo.test');
  await waitForPath(timeline.page, '/dispatcher');
  await timeline.page.getByTestId('board-list').waitFor();
  await docShot(timeline.page, 'dispatcher-board');
  await timeline.page.goto(`${BASE_URL}/dispatcher/verification`);
  await timeline.page.getByRole('heading', { level: 1 }).waitFor();
  await timeline.page.waitForTimeout(500);
  await docShot(timeline.page, 'dispatcher-verification');
  if (story.id) {
    await timeline.page.goto(`${BASE_URL}/complaints/${story.id}`);
    await timeline.page.getByTestId('complaint-page').waitFor();
    await timeline.page.evaluate(() => {
      const title = document.querySelector('#attachments-title');
      if (title) window.scrollTo(0, title.getBoundingClientRect().top + window.scrollY - 40);
    });
    await docShot(timeline.page, 'complaint-timeline', true);
  }
  await timeline.close();

  const company = await openPage(browser, view);
  await signIn(company.page, 'company@demo.test');
  await waitForPath(company.page, '/company');
  await company.page.getByRole('heading', { level: 1, name: 'Очередь жалоб' }).waitFor();
  await company.page.waitForTimeout(500);
  await docShot(company.page, 'company-queue');
  await company.page.goto(`${BASE_URL}/notifications`);
  await company.page.getByTestId('notifications-list').waitFor();
  await docShot(company.page, 'notifications');
  await company.close();

  const inspector = await openPage(browser, view);
  await signIn(inspector.page, 'inspector@demo.test');
  await waitForPath(inspector.page, '/inspector');
  await inspector.page.getByRole('heading', { level: 1 }).waitFor();
  await inspector.page.waitForTimeout(500);
  await docShot(inspector.page, 'inspector');
  await inspector.close();

  const clerk = await openPage(browser, view);
  await signIn(clerk.page, 'clerk@demo.test');
  await waitForPath(clerk.page, '/clerk');
  await clerk.page.getByLabel('ФИО заявителя').fill('Петрова Анна Викторовна');
  await clerk.page.getByLabel('Телефон', { exact: false }).fill('+7 922 555-43-21');
  await clerk.page.getByRole('combobox', { name: 'Адрес дома' }).fill('Ленина 13');
  await clerk.page.getByRole('listbox').getByRole('option').first().click();
  await clerk.page.getByTestId('category-select').selectOption(await categoryId('no_heating'));
  await clerk.page.getByLabel('Описание проблемы', { exact: false }).fill('В квартире холодные батареи со вчерашнего вечера.');
  await clerk.page.getByRole('checkbox').check();
  await clerk.page.getByRole('button', { name: 'Принять жалобу' }).click();
  await clerk.page.waitForURL((url) => url.pathname.startsWith('/clerk/receipt/'));
  await clerk.page.getByTestId('receipt-pin').waitFor();
  await docShot(clerk.page, 'clerk-receipt');
  await clerk.close();

  const phone = await openPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  await signIn(phone.page, 'resident@demo.test');
  await waitForPath(phone.page, '/resident');
  await phone.page.getByTestId('resident-home').waitFor();
  await phone.page.waitForTimeout(500);
  await docShot(phone.page, 'mobile-resident');
  await phone.close();
});
