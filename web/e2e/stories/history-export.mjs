// The inspection takes the signed history of story a's complaint for a case file: the JSON
// download (document and Ed25519 signature, the final hash) and the printable page that shows
// the same final hash.
import { readFile } from 'node:fs/promises';
import { assert } from '../lib/assert.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { story } from '../lib/state.mjs';
import { test } from '../lib/tests.mjs';

test('inspector: the signed history of a complaint downloads as JSON and opens as a printable page', async ({ browser }) => {
  assert(story.id, 'story a ran first and left its complaint');
  const { page, close } = await openPage(browser, { acceptDownloads: true });
  await signIn(page, 'inspector@demo.test');
  await waitForPath(page, '/inspector');
  await page.goto(`${BASE_URL}/complaints/${story.id}`);
  const exporter = page.getByTestId('history-export');
  await exporter.waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), exporter.getByTestId('history-export-json').click()]);
  const file = JSON.parse((await readFile(await download.path())).toString('utf8'));
  assert(file.document?.format === 'dispatch.history-export.v1', `a history export: ${JSON.stringify(file.document?.format)}`);
  assert(file.document.complaint.number === story.number, 'of the story complaint');
  assert(/^[0-9a-f]{128}$/.test(file.signature?.value ?? ''), 'an Ed25519 signature');
  assert(file.document.applicant === undefined && file.document.complaint.applicant.masked === true, 'the applicant is masked for the inspection');
  const head = file.document.head;

  const [printable] = await Promise.all([page.context().waitForEvent('page'), exporter.getByTestId('history-export-print').click()]);
  await printable.getByRole('heading', { level: 1, name: /Выписка из истории обращения/ }).waitFor();
  const shown = await printable.getByTestId('final-hash').textContent();
  assert(shown === head, `the printable page shows the final hash ${head}: ${JSON.stringify(shown)}`);
  await printable.close();
  await close();
});
