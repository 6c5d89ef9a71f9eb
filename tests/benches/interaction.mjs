// The interaction benchmark: Debian's Chromium, hydrated, signed in as a technician, times what
// a technician waits for, from the action to the answer on screen (the next frame after the
// DOM shows it), with no other load:
//   - the client list's search: submitting a client's name until its row is in the table;
//   - the header's search box: typing a client's name until it is among the dropped-down results.
// Usage: node tests/benches/interaction.mjs BASE_URL EMAIL PASSWORD API_KEY [RUNS]
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const [base, email, password, key, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 20);

// Client names spread over the table, the same in every run.
async function names(count) {
  const api = (path) =>
    fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.json());
  const total = (await api('/api/v1/clients?page_size=1')).total;
  const out = [];
  for (let i = 0; i < count; i++) {
    const page = 1 + Math.floor(((i + 0.5) * total) / count);
    out.push((await api(`/api/v1/clients?page_size=1&page=${page}`)).clients[0].name);
  }
  return out;
}

// In the page: does `act`, then waits until `selector` holds a link or cell reading `name`,
// and one frame more; the milliseconds it took. Fails after `limit` ms, saying what it saw.
function timeIt({ act, selector, name, limit }) {
  const texts = () =>
    [...document.querySelectorAll(`${selector} a, ${selector} td`)].map((el) =>
      el.textContent.trim(),
    );
  const shows = () => texts().includes(name);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const timer = setTimeout(() => {
      watch.disconnect();
      reject(new Error(`"${name}" not in ${selector} after ${limit} ms; it shows: ${texts().slice(0, 5).join(' | ')}`));
    }, limit);
    const done = () => requestAnimationFrame(() => resolve(performance.now() - start));
    const watch = new MutationObserver(() => {
      if (shows()) {
        watch.disconnect();
        clearTimeout(timer);
        done();
      }
    });
    watch.observe(document.body, { childList: true, subtree: true, characterData: true });
    if (act.kind === 'submit') {
      const input = document.querySelector(act.input);
      input.value = name;
      input.form.requestSubmit();
    } else {
      const input = document.querySelector(act.input);
      input.focus();
      input.value = name;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  });
}

function summary(label, times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return `${label.padEnd(34)} p50 ${at(50).toFixed(1).padStart(6)} ms   p95 ${at(95)
    .toFixed(1)
    .padStart(6)} ms   max ${sorted.at(-1).toFixed(1).padStart(6)} ms   (${times.length} runs)`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  // Every part of the page hydrated.
  const ready = () =>
    page.waitForFunction(
      () =>
        document.querySelector('[data-hydrated="true"]') &&
        !document.querySelector('[data-hydration]:not([data-hydrated="true"])'),
    );
  await page.goto(`${base}/login`);
  await ready();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.goto(`${base}/clients`);
  await ready();

  const clients = await names(runs + 1);
  const measure = async (act, selector) => {
    const times = [];
    for (const name of clients) {
      times.push(await page.evaluate(timeIt, { act, selector, name, limit: 10_000 }));
    }
    return times.slice(1); // the first run loads code and warms caches
  };
  const list = await measure({ kind: 'submit', input: '#f-q' }, 'table');
  const header = await measure({ kind: 'type', input: '#global-search' }, '#quick-results');
  console.log(summary('client list search (submit → row)', list));
  console.log(summary('header search (type → results)', header));
} finally {
  await browser.close();
}
