// The app shell: start page, navigation, 404, phones, and proof that hydration takes over.
import { test, expect, ready, signIn } from './fixtures';

const PASSWORD = 'violet-harbour-kettle';

test.beforeEach(async ({ page, hydrated, docket }) => {
  docket.createUser('ana@example.com', PASSWORD, 'admin');
  await signIn(page, hydrated, docket.url, 'ana@example.com', PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Docket' })).toBeVisible();
});

test('the start page renders with the system status', async ({ page, hydrated, docket, pageErrors }) => {
  const response = await page.goto(docket.url + '/');
  expect(response?.status()).toBe(200);
  await ready(page, hydrated);
  await expect(page.getByTestId('engine')).toHaveText('SQLite');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page).toHaveTitle('Docket');
  expect(pageErrors).toEqual([]);
});

test('an unknown address shows the not-found page with status 404', async ({ page, hydrated, docket }) => {
  const response = await page.goto(docket.url + '/no/such/page');
  expect(response?.status()).toBe(404);
  await ready(page, hydrated);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the start page' }).click();
  await expect(page).toHaveURL(docket.url + '/');
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
});

test('re-checking the status works before and after hydration', async ({ page, hydrated, docket }) => {
  await page.goto(docket.url + '/');
  await ready(page, hydrated);
  if (hydrated) {
    // A marker on window survives only if the click does not reload the page.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect(page.getByText('Checked once since the page loaded')).toBeVisible();
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect(page.getByText('Checked 2 times since the page loaded')).toBeVisible();
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  } else {
    // Without JavaScript the button posts the form and the server sends us back.
    await Promise.all([
      page.waitForURL(docket.url + '/'),
      page.getByRole('button', { name: 'Check again' }).click(),
    ]);
    await expect(page.getByTestId('engine')).toHaveText('SQLite');
  }
});

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('the layout fits without sideways scrolling', async ({ page, hydrated, docket }) => {
    await page.goto(docket.url + '/');
    await ready(page, hydrated);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
