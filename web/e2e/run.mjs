// End-to-end test of the SPA against the real `dispatch` binary, in Debian's Chromium.
//
//   E2E_BASE_URL=http://127.0.0.1:18080 npm run e2e
//
// The binary must run in demo mode (APP_DEMO=true) so that the demo users exist. Screenshots go
// to e2e/screenshots/. Exits non-zero on any failure; the last line is "N passed, M failed".
//
// This file starts the browser, runs the stories in order and reports; the steps are in
// stories/*.mjs, the helpers they share in lib/*.mjs.
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { apiJson } from './lib/api.mjs';
import { a11yReport, AXE_TAGS } from './lib/axe.mjs';
import { closeAll, openPages } from './lib/browser.mjs';
import { BASE_URL, CHROMIUM, SHOTS } from './lib/config.mjs';
import { screenshot } from './lib/screenshots.mjs';
import { tests } from './lib/tests.mjs';

// The stories, in the order they run: each adds its tests when imported. Later stories use what
// earlier ones left (the complaint of story a) and the state of the server they built.
import './stories/home.mjs';
import './stories/sign-in.mjs';
import './stories/role-pages.mjs';
import './stories/not-found.mjs';
import './stories/phone-shell.mjs';
import './stories/story-a.mjs';
import './stories/story-b-inspection.mjs';
// After story b, whose fine shows in the register of fines.
import './stories/inspection-registers.mjs';
import './stories/call-desk.mjs';
import './stories/history-export.mjs';
import './stories/story-c-clerk.mjs';
import './stories/stale-version.mjs';
import './stories/registration.mjs';
import './stories/my-data.mjs';
import './stories/admin-users.mjs';
import './stories/admin-audit-log.mjs';
import './stories/public-pages.mjs';
import './stories/public-xss.mjs';
import './stories/phone-screens.mjs';
import './stories/notifications.mjs';
import './stories/attachments.mjs';
import './stories/admin-registries.mjs';
import './stories/messaging-screens.mjs';
import './stories/admin-webhooks.mjs';
import './stories/live-desk.mjs';
import './stories/readme-screenshots.mjs';
import './stories/admin-policy-calendar.mjs';
// Last: it deletes the pilot's test data the stories above made.
import './stories/admin-purge.mjs';

/** @typedef {import('playwright-core').Browser} Browser */

async function main() {
  await mkdir(SHOTS, { recursive: true });
  console.log(`e2e against ${BASE_URL}`);
  let passed = 0;
  let failed = 0;
  /** @type {Browser | undefined} */
  let browser;
  try {
    const meta = await apiJson('/api/v1/meta');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    // E2E_ONLY=<text> runs only the stories whose name contains it.
    const only = process.env.E2E_ONLY;
    for (const { name, fn } of tests.filter((t) => !only || t.name.includes(only))) {
      const started = Date.now();
      try {
        await fn({ browser, meta });
        passed += 1;
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed += 1;
        console.log(`FAIL ${name}\n     ${error instanceof Error ? error.message.split('\n').join('\n     ') : error}`);
        for (const [index, page] of openPages().entries()) {
          const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
          await screenshot(page, `FAILED-${slug}-${index}`).catch(() => {});
        }
      } finally {
        await closeAll();
      }
    }
  } catch (error) {
    failed += tests.length - passed - failed || 1;
    console.log(`FAIL setup: ${error instanceof Error ? error.message : error}`);
  } finally {
    await browser?.close();
  }
  console.log(`axe-core (${AXE_TAGS.join(', ')}): violations per page checked`);
  for (const [name, count] of a11yReport) console.log(`  ${String(count).padStart(3)}  ${name}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

await main();
