// The administrator reads the audit log: the dispatcher's phone reveal of story a is there with
// its reason, the filters narrow it, and «Скачать CSV» saves the same rows for Excel.
import { readFile } from 'node:fs/promises';
import { assert } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { screenshot } from '../lib/screenshots.mjs';
import { story } from '../lib/state.mjs';
import { test } from '../lib/tests.mjs';

test('admin: the audit log shows who revealed a phone and why, filters it and downloads it as CSV', async ({ browser }) => {
  assert(story.number, 'story a ran first and left its complaint');
  const { page, close } = await openPage(browser, { acceptDownloads: true });
  await signIn(page, 'admin@demo.test');
  await waitForPath(page, '/admin');
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Журнал аудита' }).click();
  await waitForPath(page, '/admin/audit-log');
  await page.getByRole('heading', { level: 1, name: 'Журнал аудита' }).waitFor();

  // The reveal of story a: who, what, which complaint and the reason the dispatcher gave.
  const table = page.getByTestId('audit-log');
  const reveal = table.locator('tr[data-action="reveal_phone"]').filter({ hasText: story.number });
  await reveal.first().waitFor();
  const text = (await reveal.first().textContent()) ?? '';
  for (const expected of ['Специалист ДГХ', 'Просмотр телефона', 'Звонок по проверке выполнения']) {
    assert(text.includes(expected), `the reveal row shows ${JSON.stringify(expected)}: ${JSON.stringify(text)}`);
  }

  // Filter by action: only reveals are left.
  await page.getByLabel('Действие', { exact: true }).selectOption('reveal_phone');
  await page.getByRole('button', { name: 'Показать', exact: true }).click();
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('[data-testid="audit-log"] tbody tr')).every((tr) => tr.getAttribute('data-action') === 'reveal_phone'),
  );
  // Narrow to the complaint by its number in a row.
  await reveal.first().getByRole('button', { name: new RegExp(story.number) }).click();
  await page.getByTestId('audit-complaint-filter').getByText(story.number).waitFor();
  await checkA11y(page, 'admin: audit log');
  await screenshot(page, 'admin-audit-log');

  // The CSV of the same filter: a BOM, the Russian header, `;`, the complaint's reveal.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-csv').click()]);
  assert(download.suggestedFilename().endsWith('.csv'), `a CSV file: ${download.suggestedFilename()}`);
  const bytes = await readFile(await download.path());
  assert(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, 'the CSV starts with a BOM for Excel');
  const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
  assert(lines[0]?.startsWith('Время (UTC);Кто;Роль;'), `the CSV header: ${JSON.stringify(lines[0])}`);
  assert(lines.length >= 2, `the CSV holds the reveal: ${lines.length} lines`);
  assert(
    lines.slice(1).every((line) => line.includes(story.number) && line.includes('reveal_phone')),
    `every CSV row is a reveal of ${story.number}: ${JSON.stringify(lines.slice(1))}`,
  );
  await close();
});
