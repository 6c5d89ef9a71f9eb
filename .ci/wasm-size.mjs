// Prints the size of the release build's site files (raw and brotli) and fails when the
// first load, the WASM and JS every page needs, exceeds the budget. Lazily loaded chunks
// (split-out pages) are listed and counted apart.
import { readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const BUDGET_KB = 250;
const dir = new URL('../target/site/pkg/', import.meta.url);
const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(8);
const sums = { first: [0, 0], lazy: [0, 0], other: [0, 0] };

for (const name of readdirSync(dir).sort()) {
  const bytes = readFileSync(new URL(name, dir));
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const kind = /^(docket\.[^.]+\.(wasm|js)|__wasm_split\..*\.js)$/.test(name)
    ? 'first'
    : /\.wasm$/.test(name)
      ? 'lazy'
      : 'other';
  console.log(`${kind.padEnd(6)} ${name.slice(0, 60).padEnd(60)} ${kb(bytes.length)} kB ${kb(br)} kB brotli`);
  sums[kind][0] += bytes.length;
  sums[kind][1] += br;
}
for (const [kind, [raw, br]] of Object.entries(sums)) {
  console.log(`${kind.padEnd(6)} ${'total'.padEnd(60)} ${kb(raw)} kB ${kb(br)} kB brotli`);
}
const first = sums.first[1] / 1024;
console.log(`First load (WASM + JS): ${first.toFixed(1)} kB brotli (budget ${BUDGET_KB} kB)`);
if (first > BUDGET_KB) {
  console.error(`over budget by ${(first - BUDGET_KB).toFixed(1)} kB`);
  process.exit(1);
}
