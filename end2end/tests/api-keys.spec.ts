// API keys in the admin pages: make a key for a technician, see it once, use it against the
// ITFlow dialect, then revoke it. Runs hydrated only: the new key is shown by the page script
// (a form post without JavaScript reloads the page, and the key is never stored to show again).
import { test, expect, ready, signIn } from './fixtures';

const PASSWORD = 'violet-harbour-kettle';

test('make, use and revoke an API key', async ({ page, hydrated, docket, request }) => {
  test.skip(!hydrated, 'the one-time key is shown by the page script');
  docket.createUser('boss@example.com', PASSWORD, 'admin');
  docket.createUser('tech@example.com', PASSWORD);
  await signIn(page, hydrated, docket.url, 'boss@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();

  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await ready(page, hydrated);
  await expect(page.getByText('No API keys yet.')).toBeVisible();
  await page.getByLabel('Name').fill('RMM sync');
  await page.getByLabel('Acts as').selectOption({ label: 'tech (tech@example.com)' });
  await page.getByLabel('Expires after (days)').fill('30');
  await page.getByRole('button', { name: 'Create key' }).click();

  const shown = page.locator('#new-api-key');
  await expect(shown).toHaveText(/^dk_/);
  const key = (await shown.textContent())!;
  const row = page.getByRole('row', { name: /RMM sync/ });
  await expect(row).toContainText('tech@example.com');
  await expect(row).toContainText(`…${key.slice(-4)}`);

  const read = () => request.get(`${docket.url}/api/v1/clients/read.php`, { headers: { authtoken: key } });
  const ok = await read();
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ success: 'True', count: 0, data: [] });

  await row.getByRole('button', { name: 'Revoke key RMM sync' }).click();
  await expect(row).toContainText('Revoked');
  const refused = await read();
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ success: 'False' });
});

test('the API reference is one link away and names every operation', async ({ page, hydrated, docket, request }) => {
  docket.createUser('boss@example.com', PASSWORD, 'admin');
  await signIn(page, hydrated, docket.url, 'boss@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
  await page.goto(docket.url + '/admin/api-keys');
  await ready(page, hydrated);
  await page.getByRole('link', { name: 'API reference' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible();
  await ready(page, hydrated);

  const doc = await (await request.get(`${docket.url}/api/openapi.json`)).json();
  const operations = page.locator('article.operation');
  const documented = Object.values(doc.paths).flatMap((item: any) => Object.keys(item));
  await expect(operations).toHaveCount(documented.length);
  const create = operations.filter({ hasText: 'Create a client with its primary location' });
  await expect(create.locator('h3')).toHaveText('POST /api/v1/clients');
  await create.getByRole('link', { name: 'NewClient' }).click();
  await expect(page).toHaveURL(/#schema-NewClient$/);
  await expect(page.locator('#schema-ClientInput + .table-wrap')).toContainText('primary_location');
});
