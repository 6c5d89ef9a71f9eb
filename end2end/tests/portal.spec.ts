// The client portal end to end: a technician invites a contact by mail (a real SMTP server),
// the contact sets a password from the mailed link on a phone-sized screen, opens a ticket,
// sees the technician's reply arrive, resolves, reopens and closes it.
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, ready, signIn } from './fixtures';
import { startDocket, type Docket } from './docket';

const TECH = 'tech@example.com';
const PASSWORD = 'violet-harbour-kettle';
const CONTACT = 'kim@acme.example';
const CONTACT_PASSWORD = 'copper-lantern-meadow';

/** A technician and a client with one contact; the client's id. */
async function seed(docket: Docket, request: APIRequestContext): Promise<number> {
  docket.createUser(TECH, PASSWORD, 'admin');
  const key = docket.cli('api-key', 'create', '--name', 'setup', '--user', TECH).trim().split('\n').pop()!;
  const headers = { Authorization: `Bearer ${key}` };
  const made = await request.post(`${docket.url}/api/v1/clients`, {
    headers,
    data: { client: { name: 'ACME Corporation', primary_location: { name: 'Office', state: 'UT', country: 'NL' } } },
  });
  expect(made.status()).toBe(201);
  const id = (await made.json()).client.id;
  const contact = await request.post(`${docket.url}/api/v1/contacts`, {
    headers,
    data: { contact: { client_id: id, name: 'Kim Lee', email: CONTACT } },
  });
  expect(contact.status()).toBe(201);
  return id;
}

/** The portal link in the newest mail to `to`. */
async function mailedLink(docket: Docket, to: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(() => {
      const mail = docket.mails().filter((m) => m.includes(to)).pop();
      link = mail?.match(/http:\/\/\S+\/portal\/password\?token=[\w-]+/)?.[0];
      return link;
    })
    .toBeTruthy();
  return link!;
}

/** Fails when the page is wider than the phone's screen. */
async function fitsThePhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
}

test('a contact is invited, opens a ticket on a phone and follows it to its close', async ({
  page,
  hydrated,
  browser,
  request,
  javaScriptEnabled,
}) => {
  test.setTimeout(90_000);
  const docket = await startDocket({ mail: true });
  try {
    const client = await seed(docket, request);

    // The technician invites Kim from the client's contacts.
    await signIn(page, hydrated, docket.url, TECH, PASSWORD);
    await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
    await page.goto(`${docket.url}/clients/${client}?tab=contacts`);
    await ready(page, hydrated);
    await page.getByRole('button', { name: 'Invite Kim Lee to the portal' }).click();
    if (hydrated) await expect(page.getByText(`Invitation sent to ${CONTACT}.`)).toBeVisible();
    const link = await mailedLink(docket, CONTACT);

    // Kim, on a phone, sets a password from the link and lands on her tickets.
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled });
    const kim = await phone.newPage();
    await kim.goto(link);
    await ready(kim, hydrated);
    await expect(kim.getByRole('heading', { name: 'Welcome to the support portal' })).toBeVisible();
    await kim.getByLabel('New password').fill(CONTACT_PASSWORD);
    await kim.getByLabel('Confirm password').fill(CONTACT_PASSWORD);
    await kim.getByRole('button', { name: 'Save and sign in' }).click();
    await expect(kim.getByRole('heading', { name: 'My tickets' })).toBeVisible();
    await fitsThePhone(kim);

    // The link worked once.
    await kim.goto(link);
    await expect(kim.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();

    // She opens a ticket.
    await kim.goto(`${docket.url}/portal/tickets/new`);
    await ready(kim, hydrated);
    await kim.getByLabel('Subject').fill('Printer offline');
    await kim.getByLabel('Details').fill('Since this morning.\nThe light blinks orange.');
    await kim.getByRole('button', { name: 'Open ticket' }).click();
    await expect(kim.getByRole('heading', { name: /^#\d+ Printer offline$/ })).toBeVisible();
    await expect(kim.getByText('The light blinks orange.')).toBeVisible();
    await ready(kim, hydrated);
    await fitsThePhone(kim);
    const ticketUrl = kim.url();

    // The technician finds it and answers.
    await page.goto(`${docket.url}/tickets`);
    await page.getByRole('link', { name: 'Printer offline' }).click();
    await ready(page, hydrated);
    await page.getByLabel('Message').fill('A new cartridge is on its way.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect(page.locator('.conversation').getByText('A new cartridge is on its way.')).toBeVisible();

    // Kim sees the answer: by itself with JavaScript, on reload without.
    if (!hydrated) await kim.reload();
    await expect(kim.getByText('A new cartridge is on its way.')).toBeVisible({ timeout: 15_000 });
    await expect(kim.getByText('Open', { exact: true })).toBeVisible();
    expect(docket.mails().some((m) => m.includes('A new cartridge is on its way.'))).toBe(true);

    // She replies, resolves, reopens and closes it.
    await kim.getByLabel('Message').fill('Thank you!');
    await kim.getByRole('button', { name: 'Send reply' }).click();
    await expect(kim.locator('.conversation').getByText('Thank you!')).toBeVisible();
    for (const [button, state] of [
      ['Mark resolved', 'Resolved'],
      ['Reopen', 'Open'],
      ['Close', 'Closed'],
    ]) {
      await kim.getByRole('button', { name: button }).click();
      await expect(kim.locator('.ticket-state').getByText(state, { exact: true })).toBeVisible();
      await ready(kim, hydrated);
    }
    await fitsThePhone(kim);
    await kim.goto(`${docket.url}/portal/tickets?show=closed`);
    await expect(kim.getByRole('link', { name: 'Printer offline' })).toBeVisible();

    // The technician sees the history.
    await page.goto(ticketUrl.replace('/portal/tickets/', '/tickets/'));
    await expect(page.locator('.history')).toContainText('status: Resolved → Open by Kim Lee');
    await expect(page.locator('.history')).toContainText('status: Open → Closed by Kim Lee');

    // The technician opens a ticket for Kim from the client's page; it is in her list.
    await page.goto(`${docket.url}/clients/${client}?tab=tickets`);
    await ready(page, hydrated);
    await page.getByRole('link', { name: 'New ticket' }).click();
    await ready(page, hydrated);
    await page.getByLabel('Contact', { exact: true }).selectOption({ label: 'Kim Lee' });
    await page.getByLabel('Location', { exact: true }).selectOption({ label: 'Office' });
    await page.getByLabel('Assignee', { exact: true }).selectOption({ label: 'tech' });
    await page.getByLabel('Subject').fill('Laptop for the new starter');
    await page.getByRole('button', { name: 'Open ticket' }).click();
    await expect(page.getByRole('heading', { name: /^#\d+ Laptop for the new starter$/ })).toBeVisible();
    await expect(page.locator('.facts')).toContainText('Kim Lee');
    await expect(page.locator('.facts')).toContainText('Office');
    await kim.goto(`${docket.url}/portal/tickets`);
    await expect(kim.getByRole('link', { name: 'Laptop for the new starter' })).toBeVisible();

    if (hydrated) {
      for (const path of ['/portal/tickets', new URL(ticketUrl).pathname, '/portal/profile', '/portal/tickets/new']) {
        await kim.goto(`${docket.url}${path}`);
        await ready(kim, true);
        const result = await new AxeBuilder({ page: kim }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        expect(result.violations.map((v) => `${path}: ${v.id} ${v.help}`)).toEqual([]);
      }
    }
    await phone.close();
  } finally {
    await docket.stop();
  }
});

test('a contact resets a forgotten password by mail', async ({ page, hydrated }) => {
  const docket = await startDocket({ mail: true });
  try {
    const client = await seed(docket, page.request);
    await page.goto(`${docket.url}/portal`);
    await ready(page, hydrated);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    // The sign-in page has an Email field too: fill in the one of the page that replaces it.
    await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
    await ready(page, hydrated);
    await page.getByLabel('Email').fill(CONTACT);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    if (hydrated) await expect(page.getByText('If this address has portal access')).toBeVisible();
    // Kim has no password yet, so nothing is sent; a technician's invitation gives her one.
    await page.waitForTimeout(500);
    expect(docket.mails()).toEqual([]);

    await signIn(page, hydrated, docket.url, TECH, PASSWORD);
    await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
    await page.goto(`${docket.url}/clients/${client}?tab=contacts`);
    await ready(page, hydrated);
    await page.getByRole('button', { name: 'Invite Kim Lee to the portal' }).click();
    const invite = await mailedLink(docket, CONTACT);
    await page.goto(invite);
    await ready(page, hydrated);
    await page.getByLabel('New password').fill(CONTACT_PASSWORD);
    await page.getByLabel('Confirm password').fill(CONTACT_PASSWORD);
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await expect(page.getByRole('heading', { name: 'My tickets' })).toBeVisible();
    await ready(page, hydrated);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Support portal' })).toBeVisible();

    // Now the reset works, once.
    await page.goto(`${docket.url}/portal/forgot`);
    await ready(page, hydrated);
    await page.getByLabel('Email').fill(CONTACT);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect.poll(() => docket.mails().filter((m) => m.includes('Reset your support portal password')).length).toBe(1);
    const reset = await mailedLink(docket, CONTACT);
    expect(reset).not.toEqual(invite);
    await page.goto(reset);
    await ready(page, hydrated);
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await page.getByLabel('New password').fill('river-stone-thimble');
    await page.getByLabel('Confirm password').fill('river-stone-thimble');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await expect(page.getByRole('heading', { name: 'My tickets' })).toBeVisible();
  } finally {
    await docket.stop();
  }
});
