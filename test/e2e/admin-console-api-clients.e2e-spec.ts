import type { Browser, Page } from 'playwright-core';
import { TestIsolation, waitFor } from '@lib/testing';
import {
  focusedElement,
  openAdminPage,
  PHONE,
  screenshot,
  startConsoleStack,
  stopConsoleStack,
} from '../support/console-browser';
import { ADMIN_ENV, admin, clientToken, member, TEST_ADMIN } from '../support/identity-client';
import type { PlatformStack } from '../support/stack';

/**
 * The console's API clients page, built as shipped and served by the gateway at /admin, driven in
 * Debian's Chromium against auth, loyalty and the gateway (real MongoDB, Redis and RabbitMQ): an
 * admin creates a client, sees its secret once, the secret gets a token, the secret is rotated,
 * and the client is revoked, after which its token is refused within 5 seconds (API.md).
 */
describe('admin console in Chromium: API clients', () => {
  const iso = new TestIsolation('console-clients');
  let stack: PlatformStack;
  let browser: Browser;
  let baseURL: string;

  beforeAll(async () => {
    ({ stack, baseURL, browser } = await startConsoleStack(iso, {
      services: ['loyalty'],
      authEnv: ADMIN_ENV,
    }));
  }, 120000);

  afterAll(() => stopConsoleStack(iso, { stack, browser }));

  /** A signed-in admin on the API clients page, allowed to use the clipboard. */
  const onClientsPage = (viewport?: { width: number; height: number }) =>
    openAdminPage(browser, baseURL, 'API clients', TEST_ADMIN, viewport);
  const focused = focusedElement;

  const row = (page: Page, name: string) => page.getByRole('row').filter({ hasText: name });

  it('creates a client from the keyboard (after the field error of a missing scope), shows its secret once, and the secret gets a token', async () => {
    const { page, close } = await onClientsPage();
    const name = `Console till ${Date.now()}`;
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Create client' }) });

    // From the Name field on, keys only. No scope: the API's 400 names `scopes`, shown beside
    // the group of checkboxes.
    await form.getByLabel('Name').focus();
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    const scopes = form.getByRole('group', { name: 'Scopes' });
    await waitFor('the scopes to be flagged', async () => !!(await scopes.getAttribute('aria-describedby')));
    const describedBy = (await scopes.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/scope/i);
    await page.getByRole('alert').filter({ hasText: 'see the fields marked above' }).waitFor();
    await screenshot(page, 'api-clients-field-error');

    // Tab from the name to the first scope (purchases:write), Space ticks it; on past
    // redemptions, payer transactions and vouchers to members:read; then to the button.
    await form.getByLabel('Name').focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('INPUT purchases:write');
    await page.keyboard.press('Space');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('BUTTON Create client');
    await page.keyboard.press('Enter');

    // The panel takes the focus; the secret is there, with the client id and a curl example.
    const panel = page.getByRole('region', { name: `Secret of ${name}` });
    await panel.waitFor();
    expect(await focused(page)).toBe(`H2 Secret of ${name}`);
    const clientId = (await panel.getByTestId('client-id').textContent())!;
    const secret = (await panel.getByTestId('client-secret').textContent())!;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret.length).toBeGreaterThan(20);
    const example = (await panel.locator('pre').textContent())!;
    expect(example).toContain(`${baseURL}/v1/oauth/token`);
    expect(example).toContain(`-u "${clientId}:$CLIENT_SECRET"`);
    expect(example).not.toContain(secret);

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('BUTTON Copy secret');
    await page.keyboard.press('Enter');
    await panel.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
    await screenshot(page, 'api-clients-secret');

    // What was copied works: the client-credentials grant with it answers 200.
    const token = await clientToken(stack.http, clientId, secret);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer' });
    expect((token.body.scope as string).split(' ').sort()).toEqual(['members:read', 'purchases:write']);

    // Hidden for good: not in the page, and not back after a visit elsewhere.
    await panel.getByRole('button', { name: 'I have stored it: hide the secret' }).focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'detached' });
    expect(await page.getByText(secret).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API clients' }).click();
    const listed = row(page, name);
    await listed.waitFor();
    expect(await page.content()).not.toContain(secret);
    // The list shows the client with its scopes, and when it last got a token.
    expect(await listed.textContent()).toContain('purchases:write');
    expect(await listed.textContent()).toContain('members:read');
    expect(await listed.getByRole('cell').nth(5).textContent()).not.toBe('Never'); // Last token, after Actions
    await close();
  }, 60000);

  it('rotates the secret (both work for now), then revokes the client: it leaves the list and its token is refused within 5 s', async () => {
    const adminAuth = (await admin(stack.http)).auth;
    const name = `Partner ${Date.now()}`;
    const created = await stack
      .http()
      .post('/v1/admin/api-clients')
      .set(adminAuth)
      .send({ name, scopes: ['members:read'] })
      .expect(201);
    const { clientId, clientSecret: firstSecret } = created.body as {
      clientId: string;
      clientSecret: string;
    };
    const shopper = await member(stack.http);
    const { page, close } = await onClientsPage();

    // Rotate: the confirmation says until when the old secret keeps working.
    await row(page, name)
      .getByRole('button', { name: `Rotate secret of ${name}` })
      .click();
    const confirmRotation = page.getByRole('group', { name: 'Confirm rotating the secret' });
    expect(await confirmRotation.textContent()).toMatch(
      new RegExp(
        `^Rotate the secret of ${name}\\? .*the old one keeps working for 24 hours \\(until .+\\), then stops\\.`,
      ),
    );
    expect(await focused(page)).toBe('BUTTON Confirm rotation');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: `New secret of ${name}` });
    await panel.waitFor();
    expect(await panel.textContent()).toMatch(/The old secret keeps working until .+, then stops\./);
    const newSecret = (await panel.getByTestId('client-secret').textContent())!;
    expect(newSecret).not.toBe(firstSecret);
    expect((await clientToken(stack.http, clientId, newSecret)).status).toBe(200);
    expect((await clientToken(stack.http, clientId, firstSecret)).status).toBe(200);
    await panel.getByRole('button', { name: 'I have stored it: hide the secret' }).click();
    await panel.waitFor({ state: 'detached' });
    await waitFor('the list to show the previous secret as valid', async () =>
      /Yes, until/.test((await row(page, name).textContent()) ?? ''),
    );
    await screenshot(page, 'api-clients-rotated');

    // A token in use: the member's points, read by the client.
    const token = await clientToken(stack.http, clientId, newSecret);
    const accessToken = token.body.access_token as string;
    const readPoints = () =>
      stack.http().get(`/v1/members/${shopper.userId}/points`).set('Authorization', `Bearer ${accessToken}`);
    expect((await readPoints()).status).toBe(200);

    // Revoke, after a confirmation in a sentence.
    await row(page, name)
      .getByRole('button', { name: `Revoke ${name}` })
      .click();
    const confirmRevoke = page.getByRole('group', { name: 'Confirm revoking' });
    expect(await confirmRevoke.locator('p').textContent()).toBe(
      `Revoke ${name}? Its tokens stop working within 5 seconds and it can't get new ones.`,
    );
    const deleted = page.waitForResponse(
      (r) => r.request().method() === 'DELETE' && r.url().endsWith(`/v1/admin/api-clients/${clientId}`),
    );
    await page.keyboard.press('Enter'); // the confirm button has the focus
    expect((await deleted).status()).toBe(204);
    // API.md's promise, timed from the DELETE's answer while the page updates.
    const revokedAt = Date.now();
    const refused = waitFor(
      'the revoked client’s token to be refused',
      async () => (await readPoints()).status === 401,
      5000,
      100,
    );
    refused.catch(() => undefined); // awaited below; not unhandled if the page checks fail first
    await page.getByText(`Revoked ${name}: its tokens stop working within 5 seconds.`).waitFor();
    await row(page, name).waitFor({ state: 'detached' });
    await refused;
    console.log(`revoked client's token refused ${Date.now() - revokedAt} ms after the DELETE answered`);
    expect((await clientToken(stack.http, clientId, newSecret)).body).toMatchObject({
      error: 'invalid_client',
    });
    await screenshot(page, 'api-clients-revoked');
    await close();
  }, 60000);

  it('fits a 390×844 phone with a secret on screen: nothing scrolls sideways', async () => {
    const { page, close } = await onClientsPage(PHONE);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Create client' }) });
    await form.getByLabel('Name').fill(`Phone till ${Date.now()}`);
    await form.getByRole('checkbox', { name: 'payer-transactions:write' }).check();
    await form.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('region', { name: /^Secret of / }).waitFor();
    // A string, evaluated in the page: this file is compiled without the DOM's types.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBe(0);
    await screenshot(page, 'api-clients-phone');
    await close();
  }, 60000);
});
