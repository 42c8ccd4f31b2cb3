// Prints the gzipped size of the SPA's initial JavaScript (the entry chunk and every chunk it
// imports statically) and of all JavaScript, and fails when the initial JS exceeds the budget.
//
//   npm run size            (after npm run build)
//   SIZE_BUDGET_KB=200 npm run size
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUDGET_KB = Number(process.env.SIZE_BUDGET_KB ?? 200);

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** @param {string} file */
async function gzipped(file) {
  return gzipSync(await readFile(`${DIST}${file}`), { level: 9 }).length;
}

async function main() {
  const html = await readFile(`${DIST}index.html`, 'utf8');
  const entry = /<script[^>]+type="module"[^>]+src="\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('dist/index.html has no module script; run npm run build first');

  // Walk the static imports (`import ... from "./x.js"`, `import "./x.js"`), not `import()`.
  const initial = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = /** @type {string} */ (queue.shift());
    const code = await readFile(`${DIST}${file}`, 'utf8');
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    for (const match of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w${},*\s]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) {
      const target = `${dir}${(match[1] ?? '').slice(2)}`;
      if (!initial.has(target)) {
        initial.add(target);
        queue.push(target);
      }
    }
  }

  const all = (await readdir(`${DIST}assets`)).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
  const sizes = new Map(await Promise.all(all.map(async (f) => /** @type {[string, number]} */ ([f, await gzipped(f)]))));
  const initialTotal = [...initial].reduce((sum, f) => sum + (sizes.get(f) ?? 0), 0);
  const total = [...sizes.values()].reduce((sum, n) => sum + n, 0);

  console.log('gzipped JavaScript in dist/assets:');
  for (const [file, size] of [...sizes.entries()].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${initial.has(file) ? '*' : ' '} ${kb(size).padStart(9)}  ${file}`);
  }
  console.log(`entry chunk:     ${kb(sizes.get(entry) ?? 0)} (${entry})`);
  console.log(`initial JS (*):  ${kb(initialTotal)} in ${initial.size} chunk(s); budget ${BUDGET_KB} KB`);
  console.log(`all JS:          ${kb(total)} in ${sizes.size} chunk(s)`);
  if (initialTotal > BUDGET_KB * 1024) {
    console.error(`FAIL: the initial JavaScript is over the ${BUDGET_KB} KB budget`);
    process.exitCode = 1;
  }
}

await main();
