// Prints the first-load size of the release build (WASM + JS + CSS, raw and brotli) and
// fails when WASM + JS exceed the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const BUDGET_KB = 250;
const dir = new URL('../target/site/pkg/', import.meta.url);
let total = { raw: 0, br: 0 };
let code = { raw: 0, br: 0 };
for (const name of readdirSync(dir).sort()) {
  const bytes = readFileSync(new URL(name, dir));
  const br = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  }).length;
  console.log(`${name.padEnd(36)} ${(bytes.length / 1024).toFixed(1).padStart(8)} kB ${(br / 1024).toFixed(1).padStart(8)} kB brotli`);
  total.raw += bytes.length;
  total.br += br;
  if (/\.(wasm|js)$/.test(name)) {
    code.raw += bytes.length;
    code.br += br;
  }
}
console.log(`${'total'.padEnd(36)} ${(total.raw / 1024).toFixed(1).padStart(8)} kB ${(total.br / 1024).toFixed(1).padStart(8)} kB brotli`);
const kb = code.br / 1024;
console.log(`WASM + JS first load: ${kb.toFixed(1)} kB brotli (budget ${BUDGET_KB} kB)`);
if (kb > BUDGET_KB) {
  console.error(`over budget by ${(kb - BUDGET_KB).toFixed(1)} kB`);
  process.exit(1);
}
