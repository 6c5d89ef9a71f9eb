// Shared test fixtures: every page collects console errors and page errors, and a test fails
// if any appeared; `hydrated` tells a spec which of the two runs it is in; `docket` is a
// Docket of the test's own with an empty database.
import { test as base, expect, type Page } from '@playwright/test';
import { startDocket, type Docket } from './docket';

type Fixtures = { hydrated: boolean; pageErrors: string[]; docket: Docket };

export const test = base.extend<Fixtures>({
  hydrated: async ({ javaScriptEnabled }, use) => {
    await use(javaScriptEnabled !== false);
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // A refused request (401/404/422/429) is logged by the browser; it is what the test wants.
      if (msg.type() === 'error' && !/status of (4\d\d)/.test(msg.text())) errors.push(`console: ${msg.text()}`);
    });
    await use(errors);
    expect(errors, 'no console or page errors').toEqual([]);
  },
  docket: async ({}, use) => {
    const docket = await startDocket();
    await use(docket);
    await docket.stop();
  },
});

export { expect };

/** Waits until the WASM has taken over every part of the server-rendered page, lazily loaded
 * pages included (no-op without JavaScript). */
export async function ready(page: Page, hydrated: boolean) {
  if (hydrated) {
    await expect(page.locator('[data-hydrated="true"]').first()).toBeAttached();
    await expect(page.locator('[data-hydration]:not([data-hydrated="true"])')).toHaveCount(0);
  }
}

/** Signs in through the login form and waits for the start page. */
export async function signIn(page: Page, hydrated: boolean, base: string, email: string, password: string) {
  await page.goto(`${base}/login`);
  await ready(page, hydrated);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
