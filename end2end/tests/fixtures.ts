// Shared test fixtures: every page collects console errors and page errors, and a test fails
// if any appeared; `hydrated` tells a spec which of the two runs it is in.
import { test as base, expect, type Page } from '@playwright/test';

type Fixtures = { hydrated: boolean; pageErrors: string[] };

export const test = base.extend<Fixtures>({
  hydrated: async ({ javaScriptEnabled }, use) => {
    await use(javaScriptEnabled !== false);
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    await use(errors);
    expect(errors, 'no console or page errors').toEqual([]);
  },
});

export { expect };

/** Waits until the WASM has taken over the server-rendered page (no-op without JavaScript). */
export async function ready(page: Page, hydrated: boolean) {
  if (hydrated) {
    await expect(page.locator('[data-hydrated="true"]')).toBeAttached();
  }
}
