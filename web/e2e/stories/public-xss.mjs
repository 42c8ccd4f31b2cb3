// Finding 3 of the security review: markup in an address (a CSV import can bring one) is shown on
// the public map as text and runs nothing.
import { apiAs, apiToken, categoryId } from '../lib/api.mjs';
import { assert } from '../lib/assert.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { test } from '../lib/tests.mjs';

test('finding 3: markup in an address is shown on the map as text and runs no script', async ({ browser }) => {
  const admin = await apiToken('admin@demo.test');
  const company = await apiAs(await apiToken('company@demo.test'), '/api/v1/me');
  const payload = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';
  const address = `г. Сургут, улица Разметки ${Date.now().toString(36)}, д. 1 ${payload}`;
  const building = await apiAs(admin, '/api/v1/admin/buildings', {
    method: 'POST',
    body: JSON.stringify({ address, district: 'Центральный', latitude: 61.2551, longitude: 73.3844, company_id: company.organisation.id }),
  });
  // resident2: the other stories use up much of resident's daily filing limit.
  const resident = await apiToken('resident2@demo.test');
  const created = await apiAs(resident, '/api/v1/complaints', {
    method: 'POST',
    headers: { 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ building_id: building.id, category_id: await categoryId('gutters'), description: 'Водосток оторван, вода льётся на крыльцо.' }),
  });
  const number = created.complaint.number;

  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/map`);
  await page.getByTestId('public-row').filter({ hasText: number }).waitFor();
  await page.locator('.leaflet-interactive').first().waitFor();
  // Leaflet fills a tooltip when it opens: open every marker's, as a pointer passing over it would.
  await page.evaluate(() => {
    for (const marker of Array.from(document.querySelectorAll('.leaflet-interactive'))) {
      marker.dispatchEvent(new window.MouseEvent('mouseover', { bubbles: true }));
    }
  });
  const tooltip = page.locator('.leaflet-tooltip', { hasText: number });
  await tooltip.waitFor();
  const text = (await tooltip.textContent()) ?? '';
  assert(text.includes(payload), `the tooltip shows the address as text: ${text}`);
  assert((await page.locator('.leaflet-tooltip-pane img').count()) === 0, 'no element was made from the address');
  const ran = await page.evaluate(() => /** @type {any} */ (window).__xss ?? 0);
  assert(ran === 0, `the handler in the address ran ${ran} time(s)`);
  await close();
});
