// The inspection's paperwork: the register of orders, an order's printed document (the PDF from
// the API, and its preview in the register), the register of fines with its totals, and the
// register of inspection acts with each act's PDF.
import { apiAs, apiResidentComplaint, apiToken, apiTransition } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('inspection: the register of orders, the printed order (PDF), the register of fines and the register of acts', async ({ browser }) => {
  // An order of its own, so that the story also runs alone.
  const complaint = await apiResidentComplaint();
  const dispatcherToken = await apiToken('dispatcher@demo.test');
  await apiTransition(dispatcherToken, complaint.id, { type: 'send_to_inspection', reason: 'Повторные жалобы жильцов' });
  const inspectorToken = await apiToken('inspector@demo.test');
  await apiTransition(inspectorToken, complaint.id, { type: 'record_findings', violation: true, findings: 'Водосток над входом оторван, вода льётся на крыльцо.' });
  const due = new Date(Date.now() + 5 * 24 * 3600_000).toISOString();
  await apiTransition(inspectorToken, complaint.id, { type: 'issue_order', due_at: due, text: 'Закрепить водосток над входом в подъезд.' });
  const papers = await apiAs(inspectorToken, `/api/v1/complaints/${complaint.id}/papers`);
  const order = papers.find((/** @type {any} */ p) => p.kind === 'order');
  assert(order && /^П-\d{4}-\d{5}$/.test(order.number), `the order has a number: ${JSON.stringify(papers)}`);

  const { page, close } = await openPage(browser);
  await signIn(page, 'inspector@demo.test');
  await waitForPath(page, '/inspector');
  await page.getByRole('link', { name: 'Реестр предписаний' }).click();
  await waitForPath(page, '/registers/orders');
  const table = page.getByTestId('order-register');
  const line = table.getByRole('row').filter({ hasText: order.number });
  await line.waitFor();
  assert((await line.textContent())?.includes('Открыто'), 'the new order is open');
  await checkA11y(page, 'inspection: register of orders');
  await screenshot(page, 'register-orders');

  // The PDF, as the browser gets it with the session's token.
  const pdf = await page.evaluate(async ([url, token]) => {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, type: response.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length };
  }, [order.pdf_url, inspectorToken]);
  assert(pdf.status === 200 && pdf.type === 'application/pdf' && pdf.head === '%PDF-', `the order's PDF: ${JSON.stringify(pdf)}`);

  // The PDF page itself, in Chromium's viewer (headless may draw it blank: the preview below is the readable shot).
  const viewer = await openPage(browser, { extraHTTPHeaders: { Authorization: `Bearer ${inspectorToken}` } });
  await viewer.page.goto(`${BASE_URL}${order.pdf_url}`).catch(() => {});
  await viewer.page.waitForTimeout(1_000);
  await screenshot(viewer.page, 'order-pdf');
  await viewer.close();

  // The same document as the server renders it from the template, previewed in the register.
  await line.getByTestId('order-preview').click();
  const frame = page.frameLocator('iframe.document-preview');
  await frame.getByText(`ПРЕДПИСАНИЕ № ${order.number}`).waitFor();
  await frame.getByText('Водосток над входом оторван').waitFor();
  await page.getByTestId('order-document').scrollIntoViewIfNeeded();
  await screenshot(page, 'order-document');

  await page.getByRole('link', { name: 'Реестр штрафов' }).click();
  await waitForPath(page, '/registers/fines');
  await page.getByTestId('fine-register-page').waitFor();
  await page.getByText(/^Всего: \d+/).waitFor();
  await checkA11y(page, 'inspection: register of fines');
  await screenshot(page, 'register-fines');

  // The register of acts: the act of this complaint, with its printed document.
  const act = papers.find((/** @type {any} */ p) => p.kind === 'act');
  assert(act && /^А-\d{4}-\d{5}$/.test(act.number), `the act has a number: ${JSON.stringify(papers)}`);
  await page.getByRole('link', { name: 'Реестр актов' }).click();
  await waitForPath(page, '/registers/acts');
  const actLine = page.getByTestId('act-register').getByRole('row').filter({ hasText: act.number });
  await actLine.waitFor();
  assert((await actLine.textContent())?.includes('Выявлены'), 'the act found a violation');
  await page.getByText(/^Всего: \d+, с нарушениями: \d+/).waitFor();
  // The button fetches the act's PDF with the session's token and opens it in a new tab.
  const [actPdf] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/api/v1/acts/${act.id}/document.pdf`)),
    actLine.getByTestId('act-pdf').click(),
  ]);
  assert(actPdf.status() === 200 && actPdf.headers()['content-type'] === 'application/pdf', `the act's PDF: ${actPdf.status()}`);
  await checkA11y(page, 'inspection: register of acts');
  await screenshot(page, 'register-acts');
  await close();
});
