// Photos and PDFs on a complaint.
import { apiResidentComplaint } from '../lib/api.mjs';
import { assertEqual } from '../lib/assert.mjs';
import { checkA11y } from '../lib/axe.mjs';
import { openPage } from '../lib/browser.mjs';
import { BASE_URL } from '../lib/config.mjs';
import { signIn, waitForPath } from '../lib/pages.mjs';
import { samplePhoto } from '../lib/screenshots.mjs';
import { test } from '../lib/tests.mjs';

const MINI_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

test('attachments: a photo and a PDF are uploaded, the photo has a thumbnail, the PDF downloads', async ({ browser }) => {
  const complaint = await apiResidentComplaint('Ленина 11', 'gutters');
  const { page, close } = await openPage(browser);
  const photo = await samplePhoto(page);
  await signIn(page, 'resident@demo.test');
  await waitForPath(page, '/resident');
  await page.goto(`${BASE_URL}/complaints/${complaint.id}`);
  const section = page.getByTestId('attachments');
  await section.waitFor();
  await page.getByTestId('attachment-input').setInputFiles([
    { name: 'vodostok.png', mimeType: 'image/png', buffer: photo },
    { name: 'akt.pdf', mimeType: 'application/pdf', buffer: MINI_PDF },
  ]);
  await page.getByTestId('attachment-upload').click();
  await page.getByTestId('attachment').nth(1).waitFor();
  const thumb = page.getByTestId('attachment-thumb').first();
  await thumb.waitFor();
  await page.waitForFunction(() => {
    const img = /** @type {HTMLImageElement | null} */ (document.querySelector('[data-testid="attachment-thumb"]'));
    return img !== null && img.complete && img.naturalWidth > 0;
  });
  const pdf = page.getByTestId('attachment').filter({ hasText: 'akt.pdf' });
  const [download] = await Promise.all([page.waitForEvent('download'), pdf.getByTestId('attachment-download').click()]);
  assertEqual(download.suggestedFilename(), 'akt.pdf', 'the downloaded file name');
  // Too big for the server: refused in the browser before sending.
  await page.getByTestId('attachment-input').setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await page.getByText('Файл «big.pdf» больше 10 МБ.').waitFor();
  await checkA11y(page, 'complaint: attachments');
  await close();
});
