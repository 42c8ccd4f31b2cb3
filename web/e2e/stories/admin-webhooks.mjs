// Signed webhooks: the administrator subscribes a receiver (a tiny HTTP server of this story on
// 127.0.0.1, allowed in demo mode), sees the secret once, an event of a new complaint arrives
// signed with it and shows as a 200 attempt; the event is sent again, the secret rotated and the
// subscription switched off.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { apiResidentComplaint, apiUser } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

/** @typedef {{ id: string; type: string; signatures: string[]; body: string; timestamp: string }} Delivery */

/** A receiver answering 200 to every POST, keeping what it got. */
async function startReceiver() {
  /** @type {Delivery[]} */
  const deliveries = [];
  const server = createServer((request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let type = '';
      try {
        type = JSON.parse(body).type ?? '';
      } catch {
        type = '';
      }
      deliveries.push({
        id: String(request.headers['webhook-id'] ?? ''),
        timestamp: String(request.headers['webhook-timestamp'] ?? ''),
        signatures: String(request.headers['webhook-signature'] ?? '').split(' ').filter(Boolean),
        body,
        type,
      });
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  assert(address && typeof address === 'object', 'the receiver listens');
  return {
    url: `http://127.0.0.1:${address.port}/hooks/dispatch`,
    deliveries,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/** Whether one of the delivery's signatures is by `secret` (Standard Webhooks: HMAC-SHA256 of id.timestamp.body). @param {Delivery} d @param {string} secret */
function signedBy(d, secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${d.id}.${d.timestamp}.${d.body}`).digest('base64');
  return d.signatures.includes(`v1,${expected}`);
}

/** @param {() => boolean} condition @param {string} what */
async function eventually(condition, what, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    assert(Date.now() < until, `timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('admin webhooks: subscribe a receiver, the secret once, a signed 200 delivery, replay, rotate, switch off; axe; desktop and 375 px', async ({ browser }) => {
  const receiver = await startReceiver();
  const { page, close } = await openPage(browser);
  try {
    page.on('dialog', (dialog) => void dialog.accept());
    const dispatcher = await apiUser('dispatcher@demo.test');
    const orgName = dispatcher.organisation.name;

    await signIn(page, 'admin@demo.test');
    await waitForPath(page, '/admin');
    await page.getByRole('link', { name: 'Вебхуки', exact: true }).click();
    await waitForPath(page, '/admin/webhooks');
    await page.getByRole('heading', { level: 1, name: 'Вебхуки' }).waitFor();
    const form = page.getByTestId('webhook-form');
    const types = form.getByRole('group', { name: 'События' });
    await types.getByLabel(/Жалоба подана/).waitFor();
    for (const label of ['Жалоба подана', 'Направлена в УК', 'Принята в работу', 'Звонок заявителю', 'Повторный круг', 'Закрыта', 'Просрочена']) {
      assert((await types.getByLabel(new RegExp(`^${label} complaint\\.`)).count()) === 1, `the event type «${label}» is offered`);
    }

    // A 422 first: the URL's error is shown next to the field, in Russian.
    await form.getByLabel('Организация').selectOption({ label: orgName });
    await form.getByLabel('Адрес (URL)').fill('ftp://example.org/hooks');
    await types.getByRole('button', { name: 'Отметить все' }).click();
    await types.getByRole('button', { name: 'Снять все' }).click();
    await types.getByLabel(/^Жалоба подана /).check();
    await types.getByLabel(/^Направлена в УК /).check();
    await form.getByRole('button', { name: 'Подписать' }).click();
    await form.locator('.field__error', { hasText: 'Укажите полный адрес, начинающийся с https://' }).waitFor();
    assert((await page.getByTestId('webhook-secret').count()) === 0, 'no secret after a refused request');

    await form.getByLabel('Адрес (URL)').fill(receiver.url);
    await form.getByLabel('Описание').fill('CRM диспетчерской (e2e)');
    await form.getByRole('button', { name: 'Подписать' }).click();
    const secret = ((await page.getByTestId('webhook-secret-value').textContent()) ?? '').trim();
    assert(secret.startsWith('whsec_'), `the secret is shown once: ${secret}`);
    await page.getByTestId('webhook-secret').getByText('больше он показан не будет', { exact: false }).waitFor();
    const row = page.locator('[data-testid="webhook-row"]', { hasText: receiver.url });
    await row.waitFor();
    assert(((await row.textContent()) ?? '').includes('Включена'), 'the new subscription is on');
    await checkA11y(page, 'admin: webhooks (list, form, secret)');
    await screenshot(page, 'admin-webhooks-list');

    // The secret is not shown again once the page is left.
    await row.getByRole('link', { name: receiver.url }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin/webhooks/'));
    await page.getByRole('heading', { level: 1, name: 'Вебхук' }).waitFor();
    assert((await page.getByTestId('webhook-secret').count()) === 0, 'the secret is not shown on the details');

    // An event: a complaint filed through the API; the worker sends it within seconds.
    await apiResidentComplaint();
    await eventually(() => receiver.deliveries.some((d) => d.type === 'complaint.filed'), 'complaint.filed reaches the receiver');
    const filed = receiver.deliveries.find((d) => d.type === 'complaint.filed');
    assert(filed && signedBy(filed, secret), 'the delivery is signed with the secret shown');
    const ok = page.locator(`[data-testid="attempt-row"][data-status="200"][data-webhook-id="${filed.id}"]`).first();
    await ok.waitFor({ timeout: 30_000 });
    assert(((await ok.textContent()) ?? '').includes('Жалоба подана'), 'the attempt names its event in Russian');
    await page.locator('[data-testid="webhook-count-delivered"]').filter({ hasNotText: /^0$/ }).waitFor({ timeout: 30_000 });

    // Send it again: the same webhook-id arrives once more.
    await ok.getByRole('button', { name: /Отправить снова/ }).click();
    await page.getByTestId('webhook-done').getByText(`Событие ${filed.id} поставлено в очередь.`).waitFor();
    await eventually(() => receiver.deliveries.filter((d) => d.id === filed.id).length >= 2, 'the replayed event arrives again');

    // A time range, refused locally when inverted, then queued.
    const replay = page.getByTestId('webhook-replay-form');
    await replay.getByLabel('С', { exact: true }).fill('2026-12-02T00:00');
    await replay.getByLabel('По (не включая)').fill('2026-12-01T00:00');
    await replay.getByRole('button', { name: 'Отправить за период' }).click();
    await replay.locator('.field__error', { hasText: 'Конец периода должен быть позже начала.' }).waitFor();
    const local = (/** @type {Date} */ d) => new Date(d.getTime() + 5 * 3600_000).toISOString().slice(0, 16);
    await replay.getByLabel('С', { exact: true }).fill(local(new Date(Date.now() - 3600_000)));
    await replay.getByLabel('По (не включая)').fill(local(new Date(Date.now() + 3600_000)));
    await replay.getByRole('button', { name: 'Отправить за период' }).click();
    await page.getByTestId('webhook-done').getByText(/Поставлено в очередь событий: [1-9]/).waitFor();

    // A new secret, shown once; deliveries are then signed by both.
    await page.getByTestId('webhook-rotate-form').getByRole('button', { name: 'Выпустить новый секрет' }).click();
    await page.waitForFunction((old) => {
      const shown = document.querySelector('[data-testid="webhook-secret-value"]')?.textContent ?? '';
      return shown.startsWith('whsec_') && shown !== old;
    }, secret);
    const rotated = ((await page.getByTestId('webhook-secret-value').textContent()) ?? '').trim();
    await page.getByText('Старый секрет действует до', { exact: true }).waitFor();
    await checkA11y(page, 'admin: webhook details (attempts, rotated secret)');
    await screenshot(page, 'admin-webhook-details');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(300);
    await screenshot(page, 'admin-webhook-details-375');
    await page.setViewportSize({ width: 1280, height: 860 });

    const before = receiver.deliveries.length;
    await ok.getByRole('button', { name: /Отправить снова/ }).click();
    await eventually(() => receiver.deliveries.length > before, 'a delivery after the rotation');
    const last = receiver.deliveries[receiver.deliveries.length - 1];
    assert(last && signedBy(last, rotated) && signedBy(last, secret), 'during the grace period both secrets sign');

    // Switch off: the state says so, with the reason.
    await page.getByRole('button', { name: 'Выключить', exact: true }).click();
    await page.locator('[data-testid="admin-webhook"][data-enabled="false"]').waitFor();
    await page.getByTestId('webhook-state').getByText('выключена владельцем').waitFor();
    await page.getByRole('button', { name: 'Включить', exact: true }).waitFor();
    await checkA11y(page, 'admin: webhook switched off');

    await page.getByRole('link', { name: /Все вебхуки/ }).click();
    await waitForPath(page, '/admin/webhooks');
    const offRow = page.locator('[data-testid="webhook-row"][data-enabled="false"]', { hasText: receiver.url });
    await offRow.waitFor();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(300);
    await screenshot(page, 'admin-webhooks-list-375');
    await close();
  } finally {
    await receiver.close();
  }
});
