// Importing clients from a CSV file: upload, choose what a column fills, read the dry run with
// a bad row rejected and why, import with progress, then find the imported clients.
// Runs hydrated and without JavaScript.
import { test, expect, ready, signIn } from './fixtures';

const PASSWORD = 'violet-harbour-kettle';
const CSV = [
  'Company,Account code,Currency,City,Country,Contact name,Mail',
  'ACME Corp,AC-1,EUR,Utrecht,NL,Wile Coyote,wile@acme.test',
  'Globex,GX-1,NOPE,Springfield,US,Hank Scorpio,hank@globex.test',
  'Initech,IN-1,USD,Austin,US,Bill Lumbergh,bill@initech.test',
].join('\r\n');

test('import a CSV with a bad row', async ({ page, hydrated, docket }) => {
  docket.createUser('tech@example.com', PASSWORD);
  await signIn(page, hydrated, docket.url, 'tech@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();

  await page.goto(docket.url + '/clients');
  await ready(page, hydrated);
  await page.getByRole('link', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import clients' })).toBeVisible();
  await ready(page, hydrated);
  await page.getByLabel('CSV file').setInputFiles({
    name: 'clients.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV),
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('heading', { name: 'Import clients.csv' })).toBeVisible();
  await ready(page, hydrated);

  // Known headers are matched; the rest is chosen by hand.
  await expect(page.getByLabel('Field for Company')).toHaveValue('client.name');
  await expect(page.getByLabel('Field for City')).toHaveValue('location.city');
  await expect(page.getByLabel('Field for Mail')).toHaveValue('');
  await page.getByLabel('Field for Mail').selectOption('contact.email');
  await page.getByRole('button', { name: 'Check rows' }).click();

  const dryRun = page.getByTestId('dry-run');
  await expect(dryRun.getByRole('status')).toHaveText('2 to create, 0 to update, 1 rejected. Nothing has changed yet.');
  const bad = dryRun.locator('tr[data-outcome="reject"]');
  await expect(bad).toHaveCount(1);
  await expect(bad).toContainText('Globex');
  await expect(bad).toContainText('Currency: Enter an ISO 4217 code like USD or EUR');
  await expect(bad.locator('td').first()).toHaveText('3');
  await expect(page.getByLabel('Field for Mail')).toHaveValue('contact.email');

  // Nothing exists before the import runs.
  await page.goto(docket.url + '/clients');
  await expect(page.getByTestId('client-total')).toHaveText('0 clients');
  await page.goBack();
  await ready(page, hydrated);

  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  const result = page.getByTestId('import-result');
  const done = result.getByRole('heading', { name: 'Import done' });
  // Hydrated, the page follows the run by itself; without JavaScript "Check progress" reloads.
  await expect(async () => {
    if (!hydrated && !(await done.isVisible())) await page.getByRole('link', { name: 'Check progress' }).click();
    await expect(done).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(result.getByRole('status')).toHaveText('2 created, 0 updated, 1 rejected.');
  await expect(result.locator('tr[data-outcome="reject"]')).toContainText('Globex');

  await page.goto(docket.url + '/clients');
  await expect(page.getByTestId('client-total')).toHaveText('2 clients');
  const acme = page.getByRole('row', { name: /ACME Corp/ });
  await expect(acme).toContainText('Wile Coyote');
  await expect(acme).toContainText('Utrecht');
  await expect(page.getByRole('row', { name: /Globex/ })).toHaveCount(0);
});
