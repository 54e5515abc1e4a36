import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { TestIsolation, waitFor } from '@lib/testing';
import {
  focusedElement,
  openAdminPage,
  PHONE,
  screenshot,
  signIn,
  startConsoleStack,
  stopConsoleStack,
} from '../support/console-browser';
import {
  ADMIN_ENV,
  admin,
  apiClient,
  member,
  TEST_ADMIN,
  type ApiClientCaller,
} from '../support/identity-client';
import type { PlatformStack } from '../support/stack';
import {
  verifyStandardWebhook,
  WebhookReceiver,
  LOCAL_RECEIVERS_ENV,
  receiverPool,
} from '../support/webhook-receiver';

/** Local receivers allowed; one retry 200 ms after a failure, so a failing delivery is FAILED at once. */
const DISPATCHER_ENV = {
  ...LOCAL_RECEIVERS_ENV,
  WEBHOOKS_RETRY_SCHEDULE: '200ms',
  WEBHOOKS_POLL_MS: '50',
};

type Logged = { deliveryId: string; status: string; attempts: number };

/**
 * The console's Webhooks page, built as shipped and served by the gateway at /admin, driven in
 * Debian's Chromium against auth, loyalty, the webhook dispatcher and the gateway (real MongoDB,
 * Redis and RabbitMQ), with local receivers: an admin adds an endpoint by keyboard and copies its
 * secret, which verifies what the receiver gets; a delivery the receiver refuses is FAILED in the
 * log, and a retry after it recovers SUCCEEDED; an endpoint is disabled, then deleted.
 */
describe('admin console in Chromium: webhooks', () => {
  const iso = new TestIsolation('console-webhooks');
  let stack: PlatformStack;
  let browser: Browser;
  let baseURL: string;
  let adminAuth: { Authorization: string };
  let till: ApiClientCaller;
  let shopperId: string;
  const receivers = receiverPool();

  beforeAll(async () => {
    ({ stack, baseURL, browser } = await startConsoleStack(iso, {
      services: ['loyalty', 'webhook-dispatcher'],
      env: { 'webhook-dispatcher': DISPATCHER_ENV },
      authEnv: ADMIN_ENV,
    }));
    adminAuth = (await admin(stack.http)).auth;
    // Before any endpoint exists: the member's enrolment is no delivery in these tests.
    till = await apiClient(stack.http, adminAuth, ['purchases:write']);
    shopperId = (await member(stack.http)).userId;
  }, 120000);

  afterAll(async () => {
    await receivers.closeAll();
    await stopConsoleStack(iso, { stack, browser });
  });

  const receiver = () => receivers.start();

  const purchase = async () => {
    const purchaseId = `p-${randomUUID()}`;
    await stack
      .http()
      .post('/v1/purchases')
      .set(till.auth)
      .send({ purchaseId, userId: shopperId, amount: '10.00' })
      .expect(201);
    return purchaseId;
  };

  /** The delivery log through the API, to wait for what the page will show. */
  const deliveries = async (webhookId: string, status?: string) =>
    (
      await stack
        .http()
        .get(`/v1/admin/webhooks/${webhookId}/deliveries`)
        .query(status ? { status } : {})
        .set(adminAuth)
        .expect(200)
    ).body.items as Logged[];

  /** A signed-in admin on the Webhooks page, allowed to use the clipboard. */
  const onWebhooksPage = (viewport?: { width: number; height: number }) =>
    openAdminPage(browser, baseURL, 'Webhooks', TEST_ADMIN, viewport);
  const focused = focusedElement;

  const endpointRow = (page: Page, url: string) =>
    page.getByRole('table', { name: 'Webhook endpoints' }).getByRole('row').filter({ hasText: url });
  const deliveryRows = (page: Page) => page.getByRole('table', { name: 'Deliveries' }).getByRole('row');
  /** A delivery's cells after its actions (Retry comes first), its event cell as the type alone. */
  const cellsOf = async (page: Page, eventType: string) => {
    const row = deliveryRows(page).filter({ hasText: eventType });
    const texts = await row.getByRole('cell').allTextContents();
    if (!texts.length) return [];
    return [(await row.locator('td code').first().textContent()) ?? '', ...texts.slice(2)];
  };

  /**
   * A reload, still signed in where the session survives it (the refresh cookie); where it does
   * not (yet), signed in again, as the page asks.
   */
  async function reload(page: Page) {
    await page.reload();
    const signInForm = page.getByRole('button', { name: 'Sign in' });
    const signedIn = page.getByRole('button', { name: 'Sign out' });
    await signInForm.or(signedIn).first().waitFor();
    if (await signInForm.isVisible()) await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
    await page.getByRole('heading', { level: 1, name: 'Webhooks', exact: true }).waitFor();
  }

  /** The create form opens on demand, above the list; its URL field takes the keyboard. */
  async function openCreateForm(page: Page) {
    await page.getByRole('button', { name: 'New endpoint' }).focus();
    await page.keyboard.press('Enter');
    await waitFor('the URL field to take the keyboard', async () => (await focused(page)) === 'INPUT URL');
    return page.getByRole('form', { name: 'New endpoint' });
  }

  /** An endpoint made through the API, for the tests that start from one. */
  async function endpointFor(r: WebhookReceiver, description: string) {
    const res = await stack
      .http()
      .post('/v1/admin/webhooks')
      .set(adminAuth)
      .send({ url: r.url, events: ['purchase.recorded'], description })
      .expect(201);
    return res.body as { webhookId: string };
  }

  it('adds an endpoint by keyboard and copies its secret, which verifies the webhook; a refused delivery is FAILED, and a retry after the receiver recovers SUCCEEDED', async () => {
    const r = await receiver();
    r.answer = () => ({ status: 500 });
    const { page, close } = await onWebhooksPage();

    // A refused create: the keyboard lands on the first field to correct.
    let form = await openCreateForm(page);
    await page.keyboard.type('not a url');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByLabel('URL').getAttribute('aria-invalid')).toBe('true');
    expect(await focused(page)).toBe('INPUT URL');
    await screenshot(page, 'webhooks-create-refused');
    await form.getByRole('button', { name: 'Cancel' }).click();

    // From the URL field on, keys only: Tab to "All events", Tab to purchase.recorded and tick
    // it, past the other 13 types to the description, and Enter there sends the form.
    form = await openCreateForm(page);
    await page.keyboard.type(r.url);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('INPUT All events');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('INPUT purchase.recorded');
    await page.keyboard.press('Space');
    for (let i = 0; i < 14; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('INPUT Description');
    await page.keyboard.type('Console CRM');
    await page.keyboard.press('Enter');

    // The panel takes the focus; the secret is there, with how to verify a request.
    const panel = page.getByRole('region', { name: `Signing secret of ${r.url}` });
    await panel.waitFor();
    expect(await focused(page)).toBe(`H2 Signing secret of ${r.url}`);
    const secret = (await panel.getByTestId('webhook-secret').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    expect(await panel.textContent()).toContain('Standard Webhooks');
    expect(await panel.getByRole('status').first().textContent()).toContain(`Added ${r.url}`);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('BUTTON Copy secret');
    await page.keyboard.press('Enter');
    await panel.getByText('Copied to the clipboard.').waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe(secret);
    await screenshot(page, 'webhooks-secret');

    // A purchase: the receiver answers 500 to both attempts, each signed with the copied secret.
    const purchaseId = await purchase();
    await waitFor('both attempts to reach the receiver', () => r.received.length === 2);
    for (const attempt of r.received) {
      expect(attempt.body).toContain(purchaseId);
      expect(verifyStandardWebhook(copied, attempt.headers, attempt.body)).toBe(true);
    }

    // Hidden for good; the list shows the endpoint.
    await panel.getByRole('button', { name: 'I have stored it: hide the secret' }).focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    expect(await focused(page)).toBe('H2 Endpoints');
    const listed = endpointRow(page, r.url);
    expect(await listed.getAttribute('class')).toContain('row-new'); // marked, and scrolled to
    expect(await listed.textContent()).toContain('Console CRM');
    expect(await listed.textContent()).toContain('purchase.recorded');
    expect(await listed.textContent()).toContain('Enabled');

    // The log shows the delivery FAILED, with what the receiver answered.
    await listed.getByRole('button', { name: `Open ${r.url}` }).click();
    await page.getByRole('heading', { level: 2, name: r.url, exact: true }).waitFor();
    const opened = new URL(page.url()).searchParams.get('webhookId')!;
    await waitFor('the delivery to be FAILED', async () => (await deliveries(opened, 'FAILED')).length === 1);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await waitFor(
      'the log to show it FAILED',
      async () => (await cellsOf(page, 'purchase.recorded'))[1] === 'FAILED',
    );
    const failed = await cellsOf(page, 'purchase.recorded');
    expect(failed.slice(0, 4)).toEqual(['purchase.recorded', 'FAILED', '2', '500']);
    expect(failed[4]).toMatch(/500/);
    expect(failed[5]).toBe('—'); // no next attempt: out of retries

    // Filtered by FAILED: that delivery only, and the filter is in the URL: a reload keeps it.
    const filtered = page.waitForResponse((res) => res.url().includes('/deliveries?status=FAILED'));
    await page.getByLabel('Status').selectOption('FAILED');
    await filtered;
    expect(await deliveryRows(page).count()).toBe(2); // the header and the one delivery
    expect(new URL(page.url()).searchParams.get('deliveryStatus')).toBe('FAILED');
    await reload(page);
    await page.getByRole('heading', { level: 2, name: r.url, exact: true }).waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('FAILED');
    await waitFor('the filtered log', async () => (await cellsOf(page, 'purchase.recorded'))[1] === 'FAILED');
    expect(await deliveryRows(page).count()).toBe(2);
    expect(await page.getByRole('navigation', { name: 'Deliveries pages' }).textContent()).toContain(
      'Page 1 of 1 · 1 delivery',
    );
    await screenshot(page, 'webhooks-failed');

    // The receiver recovers; Retry: the delivery is tried again, and SUCCEEDED under All statuses.
    r.answer = () => ({ status: 200 });
    const retry = deliveryRows(page).getByRole('button', { name: /^Retry the purchase\.recorded delivery/ });
    const retried = page.waitForResponse((res) => res.url().endsWith('/retry'));
    await retry.focus();
    await page.keyboard.press('Enter');
    expect((await retried).status()).toBe(202);
    const said = page.getByText(
      'is being tried again now, after 2 attempts. It is no longer FAILED: choose All statuses to follow it.',
    );
    await said.waitFor();
    // The keyboard goes to what happened.
    await waitFor('the message to have the focus', async () =>
      (await focused(page)).includes('is being tried again'),
    );
    await page.getByLabel('Status').selectOption('');
    await waitFor(
      'the log to show it SUCCEEDED',
      async () => (await cellsOf(page, 'purchase.recorded'))[1] === 'SUCCEEDED',
    );
    expect((await cellsOf(page, 'purchase.recorded')).slice(2, 4)).toEqual(['3', '200']);
    expect(r.received).toHaveLength(3);
    expect(r.distinctIds().size).toBe(1); // the same webhook-id on every attempt
    expect(verifyStandardWebhook(copied, r.received[2].headers, r.received[2].body)).toBe(true);
    // The endpoint, failing until then, is read again: it no longer is.
    await page.getByText('— (its last delivery succeeded, or none failed yet)').waitFor();
    await screenshot(page, 'webhooks-retried');
    // Nothing is FAILED now.
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByText('No deliveries match these filters.').waitFor();
    await close();
  }, 90000);

  it('disables an endpoint after a confirmation, then deletes it after another', async () => {
    const r = await receiver();
    const { webhookId } = await endpointFor(r, 'To retire');
    const { page, close } = await onWebhooksPage();
    await endpointRow(page, r.url)
      .getByRole('button', { name: `Open ${r.url}` })
      .click();
    await page.getByRole('heading', { level: 2, name: r.url, exact: true }).waitFor();

    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    const confirmDisable = page.getByRole('group', { name: 'Confirm disabling' });
    expect(await confirmDisable.locator('p').textContent()).toBe(
      `Disable ${r.url}? Events that happen while it is disabled are never sent to it, not even later; deliveries already waiting are held until it is enabled again.`,
    );
    expect(await focused(page)).toBe('BUTTON Confirm disable');
    await page.keyboard.press('Enter');
    const disabled = `Disabled ${r.url}: it gets no events until it is enabled again.`;
    await page.getByText(disabled).waitFor();
    await waitFor('the list to say who disabled it', async () =>
      /Disabled by an admin/.test((await endpointRow(page, r.url).textContent()) ?? ''),
    );
    const got = await stack.http().get(`/v1/admin/webhooks/${webhookId}`).set(adminAuth).expect(200);
    expect(got.body).toMatchObject({ status: 'DISABLED', disabledReason: 'ADMIN' });
    await waitFor('the keyboard to be on the message', async () => (await focused(page)) === `P ${disabled}`);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirmDelete = page.getByRole('group', { name: 'Confirm deleting' });
    expect(await confirmDelete.locator('p').textContent()).toBe(
      `Delete ${r.url}? It gets no more events, and its delivery log is deleted with it. This can't be undone.`,
    );
    const deleted = page.waitForResponse(
      (res) => res.request().method() === 'DELETE' && res.url().endsWith(`/v1/admin/webhooks/${webhookId}`),
    );
    await page.keyboard.press('Enter'); // the confirm button has the focus
    expect((await deleted).status()).toBe(204);
    await page.getByText(`Deleted ${r.url}, with its delivery log.`).waitFor();
    await endpointRow(page, r.url).waitFor({ state: 'detached' });
    expect(await focused(page)).toBe(`P Deleted ${r.url}, with its delivery log.`);
    await stack.http().get(`/v1/admin/webhooks/${webhookId}`).set(adminAuth).expect(404);
    await screenshot(page, 'webhooks-deleted');
    await close();
  }, 60000);

  it('fits a 390×844 phone with a secret, and with a delivery log, on screen: nothing scrolls sideways', async () => {
    const r = await receiver();
    const { page, close } = await onWebhooksPage(PHONE);
    const overflow = () =>
      // A string, evaluated in the page: this file is compiled without the DOM's types.
      page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    const form = await openCreateForm(page);
    await form.getByLabel('URL').fill(r.url);
    await form.getByRole('checkbox', { name: 'purchase.recorded' }).check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('region', { name: `Signing secret of ${r.url}` }).waitFor();
    expect(await overflow()).toBe(0);
    await screenshot(page, 'webhooks-phone-secret');

    await purchase();
    await waitFor('the delivery to reach the receiver', () => r.received.length === 1);
    await endpointRow(page, r.url)
      .getByRole('button', { name: `Open ${r.url}` })
      .click();
    await page.getByRole('heading', { level: 2, name: r.url, exact: true }).waitFor();
    const webhookId = new URL(page.url()).searchParams.get('webhookId')!;
    await waitFor(
      'the delivery to be SUCCEEDED',
      async () => (await deliveries(webhookId, 'SUCCEEDED')).length === 1,
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await waitFor(
      'the log to show it',
      async () => (await cellsOf(page, 'purchase.recorded'))[1] === 'SUCCEEDED',
    );
    expect(await overflow()).toBe(0);
    // Each delivery is a card, Retry on top: the button is in view without scrolling sideways.
    const retry = deliveryRows(page).getByRole('button', { name: /^Retry the purchase\.recorded delivery/ });
    const box = (await retry.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'webhooks-phone-log');
    // The endpoint list: a card each, its Open button in view.
    const open = endpointRow(page, r.url).getByRole('button', { name: `Open ${r.url}` });
    const openBox = (await open.boundingBox())!;
    expect(openBox.x + openBox.width).toBeLessThanOrEqual(390);
    await close();
  }, 60000);
});
