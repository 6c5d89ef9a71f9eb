// Global search: Ctrl+K from any page, then the results grouped by kind; a typo still finds
// the client, and on the results page the list follows the typing and the arrow keys
// (hydrated) or the form (without JavaScript). Hydrated, the header's box drops its results
// down as you type.
import { test, expect, ready, signIn } from './fixtures';

const PASSWORD = 'violet-harbour-kettle';

test('find a client, a contact and a location from the search box', async ({ page, hydrated, docket, request }) => {
  docket.createUser('tech@example.com', PASSWORD);
  const key = docket.cli('api-key', 'create', '--name', 'setup', '--user', 'tech@example.com').trim().split('\n').pop()!;
  for (const [name, city, person, phone] of [
    ['ACME Corporation', 'Utrecht', 'Wile Coyote', '+1 (555) 010-2000'],
    ['Globex', 'Springfield', 'Hank Scorpio', '555-867-5309'],
  ]) {
    const made = await request.post(`${docket.url}/api/v1/clients`, {
      headers: { Authorization: `Bearer ${key}` },
      data: { client: { name, primary_location: { name: 'Head office', city, state: 'ST', country: 'US' } } },
    });
    expect(made.status()).toBe(201);
    const id = (await made.json()).client.id;
    const contact = await request.post(`${docket.url}/api/v1/contacts`, {
      headers: { Authorization: `Bearer ${key}` },
      data: { contact: { client_id: id, name: person, phone } },
    });
    expect(contact.status()).toBe(201);
  }
  await signIn(page, hydrated, docket.url, 'tech@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
  await ready(page, hydrated);

  const box = page.getByRole('searchbox', { name: 'Search clients, contacts and locations' });
  if (hydrated) {
    await page.keyboard.press('Control+k');
    await expect(box).toBeFocused();
    await page.keyboard.type('globx');
  } else {
    await box.fill('globx');
  }
  await box.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  const clients = page.getByRole('region', { name: 'Clients' });
  await expect(clients.getByRole('link', { name: 'Globex' })).toBeVisible();
  await ready(page, hydrated);

  const query = page.getByLabel('Clients, contacts and locations', { exact: true });
  await query.fill('555 010 2000');
  if (!hydrated) await page.getByRole('button', { name: 'Search', exact: true }).click();
  const contacts = page.getByRole('region', { name: 'Contacts' });
  await expect(contacts.getByRole('link', { name: 'Wile Coyote' })).toBeVisible();
  await expect(contacts).toContainText('ACME Corporation');
  await expect(page.getByRole('region', { name: 'Clients' })).toHaveCount(0);

  await query.fill('springfield');
  const office = page.getByRole('region', { name: 'Locations' }).getByRole('link', { name: 'Head office' });
  if (hydrated) {
    // The arrow keys go from the box through the results.
    await expect(office).toBeVisible();
    await query.press('ArrowDown');
    await expect(office).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(query).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
  } else {
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await office.click();
  }
  await expect(page.getByRole('heading', { name: 'Globex' })).toBeVisible();
  if (!hydrated) return;

  // From any page, the header's box shows results as you type, grouped by kind; the arrow keys
  // step into them and Escape closes them.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  await page.keyboard.type('utrecht');
  const dropdown = page.getByRole('region', { name: 'Search results' });
  await expect(dropdown.getByRole('region', { name: 'Locations' })).toContainText('ACME Corporation');
  await page.keyboard.press('Escape');
  await expect(dropdown).toHaveCount(0);
  await expect(box).toBeFocused();
  await box.fill('');
  await page.keyboard.type('hank scorp');
  const hank = dropdown.getByRole('region', { name: 'Contacts' }).getByRole('link', { name: 'Hank Scorpio' });
  await expect(hank).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(hank).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Globex' })).toBeVisible();
  await expect(dropdown).toHaveCount(0);
});
