// Accessibility: axe-core on each page checked (WCAG 2.0/2.1 A and AA), 0 violations allowed.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { assert } from './assert.mjs';

/** @typedef {import('playwright-core').Page} Page */

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Violations found by axe-core on each page checked, in order. @type {[string, number][]} */
export const a11yReport = [];

/** axe-core's source, read once. @type {string | undefined} */
let axeText;
async function axeSource() {
  axeText ??= await readFile(AXE_PATH, 'utf8');
  return axeText;
}

/**
 * Runs axe-core on the page as it is now (WCAG 2.0/2.1 A and AA) and fails on any violation.
 * @param {Page} page @param {string} name
 */
export async function checkA11y(page, name) {
  if ((await page.evaluate(() => typeof (/** @type {any} */ (globalThis).axe))) === 'undefined') {
    // Evaluated through the DevTools protocol rather than added as a <script>: the site's CSP
    // (script-src 'self') rightly refuses an inline script, and a test must not weaken it.
    await page.evaluate(await axeSource());
  }
  /** @type {{ id: string; impact: string; help: string; nodes: { target: string[] }[] }[]} */
  const violations = await page.evaluate(async (tags) => {
    const result = await /** @type {any} */ (globalThis).axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target })),
    }));
  }, AXE_TAGS);
  a11yReport.push([name, violations.length]);
  assert(
    violations.length === 0,
    `axe found ${violations.length} violation(s) on ${name}: ${violations
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
      .join(' | ')}`,
  );
}
