// The list of tests: each story module adds its tests with test() when it is imported, so the
// order in which run.mjs imports the stories is the order of the run.

/** @typedef {import('playwright-core').Browser} Browser */
/** @typedef {{ browser: Browser; meta: any }} TestContext */

/** @type {{ name: string; fn: (ctx: TestContext) => Promise<void> }[]} */
export const tests = [];

/** @param {string} name @param {(ctx: TestContext) => Promise<void>} fn */
export function test(name, fn) {
  tests.push({ name, fn });
}
