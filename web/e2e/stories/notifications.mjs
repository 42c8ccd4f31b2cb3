// Notifications: the bell, the inbox, mark as read.
import { apiResidentComplaint } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { test } from '../lib/tests.mjs';

test('notifications: the company is told about a new complaint; bell, inbox, mark as read', async ({ browser }) => {
  const complaint = await apiResidentComplaint('Ленина 11', 'gutters');
  const { page, close } = await openPage(browser);
  await signIn(page, 'company@demo.test');
  await waitForPath(page, '/company');
  const bell = page.getByTestId('notification-bell');
  await bell.waitFor();
  // The worker delivers every APP_WORKER_INTERVAL_SECONDS; the bell polls, and looks again on reload.
  const deadline = Date.now() + 45_000;
  while (Number(await bell.getAttribute('data-unread')) === 0) {
    assert(Date.now() < deadline, 'no notification reached the company within 45 s');
    await page.waitForTimeout(2_000);
    await page.reload();
    await bell.waitFor();
  }
  const before = Number(await bell.getAttribute('data-unread'));
  await bell.click();
  await waitForPath(page, '/notifications');
  await page.getByRole('heading', { level: 1, name: 'Уведомления' }).waitFor();
  const unreadAboutIt = page.locator('[data-testid="notification"][data-unread="true"]').filter({ hasText: complaint.number });
  const item = unreadAboutIt.first();
  while ((await item.count()) === 0) {
    assert(Date.now() < deadline, `no notification about ${complaint.number} within 45 s`);
    await page.waitForTimeout(2_000);
    await page.reload();
    await page.getByTestId('notifications-unread').waitFor();
  }
  await checkA11y(page, 'notifications: inbox');
  // Other complaints' notifications may arrive meanwhile, so watch this one, not the total.
  const unreadBefore = await unreadAboutIt.count();
  await item.getByTestId('mark-read').click();
  const readDeadline = Date.now() + 15_000;
  while ((await unreadAboutIt.count()) >= unreadBefore) {
    assert(Date.now() < readDeadline, 'the notification did not turn read within 15 s');
    await page.waitForTimeout(200);
  }
  assert(before > 0, 'the bell counted the unread notification');
  await page.getByTestId('notification').filter({ hasText: complaint.number }).first().getByRole('link').click();
  await waitForPath(page, `/complaints/${complaint.id}`);
  await page.getByTestId('complaint-page').waitFor();
  await close();
});
