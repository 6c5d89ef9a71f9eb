// Technician accounts as a person uses them: first-run setup, sign-in, a wrong password,
// throttling, sign-out, and two-factor enrolment and sign-in.
import { test, expect, ready, signIn } from './fixtures';
import { totp } from './docket';

const PASSWORD = 'violet-harbour-kettle';

test('first run: the setup page creates the first admin, then is gone', async ({ page, hydrated, docket }) => {
  await page.goto(docket.url + '/account');
  await expect(page).toHaveURL(docket.url + '/setup');
  await ready(page, hydrated);
  await page.getByLabel('Your name').fill('Ana Admin');
  await page.getByLabel('Email').fill('ana@example.com');
  await page.getByLabel('Password', { exact: true }).fill('short');
  if (hydrated) {
    // The same rule as the server's, shown while typing.
    await expect(page.getByText('Use at least 12 characters')).toBeVisible();
  }
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create admin and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ana Admin' })).toBeVisible();

  const again = await page.goto(docket.url + '/setup');
  expect(again?.status()).toBe(404);
});

test('sign in, a wrong password, then sign out', async ({ page, hydrated, docket }) => {
  docket.createUser('tom@example.com', PASSWORD);
  await page.goto(docket.url + '/');
  await expect(page).toHaveURL(docket.url + '/login');

  await signIn(page, hydrated, docket.url, 'tom@example.com', 'not-the-password');
  await expect(page.getByText('Email or password is incorrect')).toBeVisible();

  await signIn(page, hydrated, docket.url, 'tom@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'tom' })).toBeVisible();
  await ready(page, hydrated);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(docket.url + '/login');
  await page.goto(docket.url + '/account');
  await expect(page).toHaveURL(/\/login\?next=\/account$/);
});

test('repeated wrong passwords are throttled with a clear message', async ({ page, hydrated, docket }) => {
  docket.createUser('tom@example.com', PASSWORD);
  for (let i = 0; i < 4; i++) {
    await signIn(page, hydrated, docket.url, 'tom@example.com', 'not-the-password');
    await expect(page.getByText('Email or password is incorrect')).toBeVisible();
  }
  await signIn(page, hydrated, docket.url, 'tom@example.com', 'not-the-password');
  await expect(page.getByText(/Too many attempts; try again in \d+ seconds/)).toBeVisible();
  await signIn(page, hydrated, docket.url, 'tom@example.com', PASSWORD);
  await expect(page.getByText(/Too many attempts/)).toBeVisible();
});

test('two-factor enrolment, then sign-in with a code', async ({ page, hydrated, docket }) => {
  docket.createUser('tom@example.com', PASSWORD);
  await signIn(page, hydrated, docket.url, 'tom@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();

  await page.goto(docket.url + '/account/mfa');
  await ready(page, hydrated);
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.locator('.qr svg')).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  if (hydrated) {
    await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  }
  await expect(page.getByText('Recovery codes left: 10')).toBeVisible();

  await page.goto(docket.url + '/logout');
  await ready(page, hydrated);
  await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(docket.url + '/login');

  await signIn(page, hydrated, docket.url, 'tom@example.com', PASSWORD);
  await expect(page).toHaveURL(/\/login\/mfa/);
  await ready(page, hydrated);
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('That code is not valid')).toBeVisible();
  // The enrolment used this step's code; the next step's is accepted (one step of drift).
  await page.getByLabel('Code').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
});

test('an admin restricts a technician to clients found by typing', async ({ page, hydrated, docket, request }) => {
  docket.createUser('ana@example.com', PASSWORD, 'admin');
  docket.createUser('tom@example.com', PASSWORD);
  const key = docket.cli('api-key', 'create', '--name', 'setup', '--user', 'ana@example.com').trim().split('\n').pop()!;
  const ids: Record<string, number> = {};
  for (const name of ['ACME Corporation', 'Globex']) {
    const made = await request.post(`${docket.url}/api/v1/clients`, {
      headers: { Authorization: `Bearer ${key}` },
      data: { client: { name, primary_location: { name: 'Office', state: 'UT', country: 'NL' } } },
    });
    expect(made.status()).toBe(201);
    ids[name] = (await made.json()).client.id;
  }
  await signIn(page, hydrated, docket.url, 'ana@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
  await page.goto(docket.url + '/admin/users');
  await page.getByRole('link', { name: 'tom' }).click();
  await ready(page, hydrated);
  const access = page.getByRole('group', { name: 'Client access' });
  await access.getByLabel('Only the clients below').check();
  const add = access.getByLabel('Add a client');
  if (hydrated) {
    await add.fill('acme');
    await expect(page.locator(`datalist option[value="ACME Corporation #${ids['ACME Corporation']}"]`)).toHaveCount(1);
    await add.fill(`ACME Corporation #${ids['ACME Corporation']}`);
  } else {
    await add.fill(`#${ids['ACME Corporation']}`);
  }
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(access.getByLabel('ACME Corporation')).toBeChecked();
  await expect(access.getByLabel('Globex')).toHaveCount(0);

  await page.goto(docket.url + '/logout');
  await ready(page, hydrated);
  await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
  await signIn(page, hydrated, docket.url, 'tom@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Welcome to Docket' })).toBeVisible();
  await page.goto(docket.url + '/clients');
  await expect(page.getByRole('link', { name: 'ACME Corporation' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Globex' })).toHaveCount(0);
});
