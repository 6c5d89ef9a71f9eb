// The client record as a technician uses it: create a client with its location and contact,
// find it by a contact's phone digits, edit a contact's flags, bulk tag and export, and
// archive, restore and delete. Runs hydrated and without JavaScript.
import { test, expect, ready, signIn } from './fixtures';

const PASSWORD = 'violet-harbour-kettle';

test('create a client with location and contact, find it by phone, edit contact flags', async ({ page, hydrated, docket }) => {
  docket.createUser('tech@example.com', PASSWORD);
  await signIn(page, hydrated, docket.url, 'tech@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();

  await page.goto(docket.url + '/clients/new');
  await ready(page, hydrated);
  await page.getByLabel('Client name').fill('ACME Corp');
  await page.locator('[name="location[city]"]').fill('Utrecht');
  await page.locator('[name="location[country]"]').fill('XX');
  if (hydrated) {
    // The shared rule shows while typing, before anything is sent.
    await expect(page.getByText('Enter a two-letter country code like US or NL')).toBeVisible();
  }
  await page.getByLabel('Contact name').fill('Wile Coyote');
  await page.getByLabel('Email', { exact: true }).fill('wile@acme.test');
  await page.locator('[name="contact[phone]"]').fill('+1 (555) 010-0199');
  await page.getByRole('button', { name: 'Create client' }).click();
  // The server refuses the bad country; nothing is saved.
  await expect(page.getByText('Enter a two-letter country code like US or NL')).toBeVisible();
  await page.goto(docket.url + '/clients');
  await expect(page.getByTestId('client-total')).toHaveText('0 clients');

  await page.goto(docket.url + '/clients/new');
  await ready(page, hydrated);
  await page.getByLabel('Client name').fill('ACME Corp');
  await page.locator('[name="location[city]"]').fill('Utrecht');
  await page.locator('[name="location[country]"]').fill('NL');
  await page.getByLabel('Contact name').fill('Wile Coyote');
  await page.getByLabel('Email', { exact: true }).fill('wile@acme.test');
  await page.locator('[name="contact[phone]"]').fill('+1 (555) 010-0199');
  await page.getByRole('button', { name: 'Create client' }).click();
  await expect(page.getByRole('heading', { name: 'ACME Corp' })).toBeVisible();

  // Found by the contact's phone digits, typed another way.
  await page.goto(docket.url + '/clients');
  await ready(page, hydrated);
  await page.getByLabel('Search', { exact: true }).fill('555 0100199');
  await page.getByRole('button', { name: 'Apply' }).first().click();
  await expect(page).toHaveURL(/q=555/);
  await expect(page.getByTestId('client-total')).toHaveText('1 clients');
  const row = page.getByRole('row', { name: /ACME Corp/ });
  await expect(row).toContainText('Wile Coyote');
  await expect(row).toContainText('Utrecht');
  await row.getByRole('link', { name: 'ACME Corp' }).click();
  await expect(page.getByRole('heading', { name: 'ACME Corp' })).toBeVisible();

  await page.getByRole('link', { name: /^Contacts \(/ }).click();
  await ready(page, hydrated);
  await page.getByRole('row', { name: /Wile Coyote/ }).getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByTestId('contact-editor')).toBeVisible();
  await ready(page, hydrated);
  await page.getByLabel('Billing').check();
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.locator('table .badge', { hasText: 'Billing' })).toBeVisible();
  await page.reload();
  await expect(page.locator('table .badge', { hasText: 'Billing' })).toBeVisible();
});

test('bulk tag and export, then archive, restore and delete', async ({ page, hydrated, docket }) => {
  docket.createUser('boss@example.com', PASSWORD, 'admin');
  await signIn(page, hydrated, docket.url, 'boss@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();

  await page.goto(docket.url + '/admin/tags');
  await ready(page, hydrated);
  await page.getByLabel('Tag name').fill('VIP');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.locator('table .tag', { hasText: 'VIP' })).toBeVisible();

  const pages: Record<string, string> = {};
  for (const name of ['ACME Corp', 'Globex', '=cmd|calc']) {
    await page.goto(docket.url + '/clients/new');
    await ready(page, hydrated);
    await page.getByLabel('Client name').fill(name);
    await page.getByRole('button', { name: 'Create client' }).click();
    await expect(page.getByRole('heading', { name })).toBeVisible();
    pages[name] = page.url();
  }

  // Globex becomes part of ACME: suggested while typing, or named by its number without JavaScript.
  const acmeId = new URL(pages['ACME Corp']).pathname.split('/').pop();
  await page.goto(pages['Globex'] + '?tab=edit');
  await ready(page, hydrated);
  const parent = page.getByLabel('Parent client');
  if (hydrated) {
    await parent.fill('acme');
    await expect(page.locator(`datalist option[value="ACME Corp #${acmeId}"]`)).toHaveCount(1);
    await parent.fill(`ACME Corp #${acmeId}`);
  } else {
    await parent.fill(`#${acmeId}`);
  }
  await page.getByRole('button', { name: 'Save client' }).click();
  if (hydrated) await expect(page.getByText('Saved.')).toBeVisible();
  else await expect(parent).toHaveValue(`ACME Corp #${acmeId}`);
  await page.goto(pages['Globex']);
  await expect(page.locator('dd').getByRole('link', { name: 'ACME Corp' })).toBeVisible();

  await page.goto(docket.url + '/clients?sort=name');
  await ready(page, hydrated);
  await page.getByLabel('Select ACME Corp').check();
  await page.getByLabel('Select Globex').check();
  await page.getByLabel('With selected').selectOption('tag_add');
  await page.getByLabel('Value').fill('vip');
  await page.locator('.bulk').getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('row', { name: /Globex/ }).locator('.tag')).toHaveText('VIP');
  await expect(page.getByRole('row', { name: /ACME Corp/ }).locator('.tag')).toHaveText('VIP');
  await expect(page.getByRole('row', { name: /calc/ }).locator('.tag')).toHaveCount(0);

  // The export is exactly the filtered view, with the formula defused.
  await page.goto(docket.url + '/clients?q=acme');
  const href = await page.getByRole('link', { name: 'Export this view (CSV)' }).getAttribute('href');
  const csv = await (await page.request.get(docket.url + href)).text();
  expect(csv.trim().split('\n')).toHaveLength(2);
  expect(csv).toContain('"ACME Corp"');
  expect(csv).toContain('"VIP"');
  const all = await (await page.request.get(docket.url + '/clients/export.csv')).text();
  expect(all).toContain(`"'=cmd|calc"`);

  await page.goto(docket.url + '/clients?q=globex');
  await page.getByRole('link', { name: 'Globex' }).click();
  await expect(page.getByRole('heading', { name: 'Globex' })).toBeVisible();
  await ready(page, hydrated);
  await page.getByRole('button', { name: 'Archive Globex' }).click();
  await expect(page.getByRole('button', { name: 'Restore Globex' })).toBeVisible();
  await page.getByRole('button', { name: 'Restore Globex' }).click();
  await expect(page.getByRole('button', { name: 'Archive Globex' })).toBeVisible();
  await page.goto(docket.url + '/clients');
  await expect(page.getByTestId('client-total')).toHaveText('3 clients');

  await page.goto(page.url().replace(/\/clients.*$/, '/clients?q=globex'));
  await page.getByRole('link', { name: 'Globex' }).click();
  await ready(page, hydrated);
  await page.getByRole('button', { name: 'Archive Globex' }).click();
  await page.getByText('Delete…').click();
  await page.getByLabel('Type the exact name').fill('globex');
  await page.getByRole('button', { name: 'Delete Globex' }).click();
  await expect(page.getByText('Type the exact name to delete', { exact: true })).toBeVisible();
  await page.getByLabel('Type the exact name').fill('Globex');
  await page.getByRole('button', { name: 'Delete Globex' }).click();
  await expect(page).toHaveURL(/\/clients\?archived=only/);
  await expect(page.getByTestId('client-total')).toHaveText('0 clients');
});
