// The public scorecard and map.
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

test('public: the scorecard and the map of anonymised complaints', async ({ browser }) => {
  const { page, close } = await openPage(browser);
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('link', { name: 'Рейтинг управляющих компаний' }).click();
  await waitForPath(page, '/scorecard');
  const table = page.getByTestId('scorecard-table');
  await table.getByRole('rowheader', { name: 'ООО «УК Северный город»' }).waitFor();
  await checkA11y(page, 'public: scorecard');
  await screenshot(page, 'public-scorecard');
  await page.getByRole('link', { name: 'Жалобы на карте →' }).click();
  await waitForPath(page, '/map');
  await page.getByTestId('map').waitFor();
  await page.locator('.leaflet-interactive').first().waitFor();
  const rows = await page.getByTestId('public-row').count();
  assert(rows > 0, 'the map page lists the open complaints');
  const text = (await page.getByTestId('map-page').textContent()) ?? '';
  assert(!text.includes('кв. 12') && !text.includes('Иванова'), 'the public list shows no flats and no names');
  await checkA11y(page, 'public: map');
  await screenshot(page, 'public-map');
  await close();
});
