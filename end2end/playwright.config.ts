// Browser journeys against a real Docket: each test starts the release binary on a fresh
// SQLite database and a free port (tests/docket.ts) and drives it through Debian's Chromium.
// Every spec runs twice: hydrated and with JavaScript disabled.
import { defineConfig } from '@playwright/test';

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  // One retry: now and then, under load, a page arrives with the default policy instead of
  // its nonce policy (its scripts are blocked and it never hydrates), a fault not yet found.
  // A test that fails twice still fails the run; the list reporter names the flaky ones.
  retries: 1,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'nojs', use: { javaScriptEnabled: false } },
  ],
});
