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
import { ADMIN_ENV, admin, PASSWORD, TEST_ADMIN, uniqueUsername } from '../support/identity-client';
import type { PlatformStack } from '../support/stack';

/**
 * The console's Users and Audit log pages, built as shipped and served by the gateway at /admin,
 * in Debian's Chromium against auth and the gateway (real MongoDB, Redis and RabbitMQ), at a
 * desktop's and a phone's size: the browser refuses a future birthday before sending, focus lands
 * on the first field to fix, an enrol shows the new user's row, searches and filters survive a
 * reload, and the audit log names who did what to whom. Every state visited passes axe-core and
 * has nothing scrolling sideways (screenshot() checks both).
 */
describe('admin console in Chromium: Users and the Audit log', () => {
  const iso = new TestIsolation('console-users-audit');
  let stack: PlatformStack;
  let browser: Browser;
  let baseURL: string;

  beforeAll(async () => {
    ({ stack, baseURL, browser } = await startConsoleStack(iso, { services: [], authEnv: ADMIN_ENV }));
  }, 120000);

  afterAll(() => stopConsoleStack(iso, { stack, browser }));

  /** Enrols a user with a full name through the API, as another admin would have. */
  async function enrolled(label: string, fullName: string) {
    const username = uniqueUsername(label);
    const res = await stack
      .http()
      .post('/v1/admin/users')
      .set((await admin(stack.http)).auth)
      .send({ username, password: PASSWORD, email: `${username}@example.com`, fullName, roles: ['member'] })
      .expect(201);
    return { username, userId: res.body.userId as string, groupId: res.body.groupId as string };
  }

  /**
   * Reloads the page. Where the session does not survive a reload (yet), signs in again: the
   * console then shows the page the URL names, which is what this file checks.
   */
  async function reload(page: Page) {
    await page.reload();
    const signOut = page.getByRole('button', { name: 'Sign out' });
    const signInButton = page.getByRole('button', { name: 'Sign in' });
    await signOut.or(signInButton).first().waitFor();
    if (await signInButton.isVisible()) {
      await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
      await signOut.waitFor();
    }
    await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
  }

  const userRow = (page: Page, username: string) =>
    page.getByRole('row').filter({ has: page.getByText(username, { exact: true }) });

  it('enrols a user: a future birthday is refused in the browser, an API refusal puts focus on its field, the new row is shown, and the search survives a reload', async () => {
    const { page, close } = await openAdminPage(browser, baseURL, 'Users', TEST_ADMIN);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Enroll' }) });
    const username = uniqueUsername('enrolled');
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/v1/admin/users')) sent.push(r.url());
    });

    // A birthday next year: refused before anything is sent, the keyboard on the field.
    await form.getByLabel('Username').fill(username);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByLabel('Birthday').fill(`${new Date().getFullYear() + 1}-01-15`);
    await form.getByRole('button', { name: 'Enroll' }).click();
    await form.getByText('This date is in the future: enter a date up to today.').waitFor();
    await waitFor(
      'the birthday to have the focus',
      async () => (await focusedElement(page)) === 'INPUT Birthday',
    );
    expect(sent).toHaveLength(0);
    await screenshot(page, 'users-audit-future-birthday');

    // The API refuses the email: its message, in plain words, beside it, and the focus on it.
    await form.getByLabel('Birthday').fill('1990-02-03');
    await form.getByRole('button', { name: 'Enroll' }).click();
    await form.getByText(/^must be an email address/).waitFor();
    await waitFor('the email to have the focus', async () => (await focusedElement(page)) === 'INPUT Email');
    expect(sent).toHaveLength(1);
    await screenshot(page, 'users-audit-refused-email');

    // Enrolled: said so, and the list searches for them, the row marked.
    await form.getByLabel('Email').fill(`${username}@example.com`);
    await form.getByLabel('Full name').fill('Rita Enrolled');
    await form.getByRole('button', { name: 'Enroll' }).click();
    await page.getByText(`Enrolled ${username}. They are shown in the list below.`).waitFor();
    const row = userRow(page, username);
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('row-new');
    expect(new URL(page.url()).searchParams.get('q')).toBe(username);
    expect(await row.getByRole('cell').first().getByRole('button').first().textContent()).toBe('Edit');
    expect(await row.textContent()).toContain('3 Feb 1990');
    await screenshot(page, 'users-audit-enrolled');

    // A reload keeps the search and the list.
    await reload(page);
    await userRow(page, username).waitFor();
    expect(await page.getByLabel('Search users').inputValue()).toBe(username);
    await close();
  }, 90000);

  it('on a phone, each user is a card with Edit at its top, and nothing scrolls sideways', async () => {
    const long = await enrolled('phone', 'Maria Cristina Albuquerque de Vasconcelos Figueiredo');
    const { page, close } = await openAdminPage(browser, baseURL, 'Users', TEST_ADMIN, PHONE);
    await page.getByLabel('Search users').fill(long.username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = userRow(page, long.username);
    await row.waitFor();
    const edit = row.getByRole('button', { name: `Edit ${long.username}` });
    const [card, button] = [await row.boundingBox(), await edit.boundingBox()];
    // The actions sit at the card's top and inside the screen's width.
    expect(button!.y - card!.y).toBeLessThan(40);
    expect(button!.x + button!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'users-audit-phone');

    await edit.click();
    await page.getByRole('heading', { name: `Edit ${long.username}` }).waitFor();
    await screenshot(page, 'users-audit-phone-edit');
    await close();
  }, 90000);

  it('the audit log names the actor and target, writes details as lines, and keeps a prefix filter over a reload', async () => {
    const rita = await enrolled('audited', 'Rita Audited');
    await stack
      .http()
      .patch(`/v1/admin/users/${rita.userId}`)
      .set((await admin(stack.http)).auth)
      .send({ status: 'DISABLED' })
      .expect(200);
    const { page, close } = await openAdminPage(browser, baseURL, 'Audit log', TEST_ADMIN);
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Apply filters' }) });

    await form.getByLabel('Action').fill('user.*');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    const table = page.getByRole('table', { name: 'Audit log entries' });
    const update = table
      .getByRole('row')
      .filter({ hasText: 'user.update' })
      .filter({ hasText: rita.username });
    await waitFor('the update to be listed', async () => (await update.count()) === 1);
    expect(new URL(page.url()).searchParams.get('action')).toBe('user.*');
    // Who and what by name; the details in words, not JSON.
    expect(await update.textContent()).toContain(TEST_ADMIN.username);
    expect(await update.getByRole('listitem').first().textContent()).toBe('status: ACTIVE → DISABLED');
    expect(await update.textContent()).not.toContain('{"changes"');
    const enroll = table
      .getByRole('row')
      .filter({ hasText: 'user.enroll' })
      .filter({ hasText: rita.username });
    await enroll.waitFor();
    expect(await page.getByRole('navigation', { name: 'Audit log pages' }).textContent()).toMatch(
      /Page 1 of 1 · \d+ entr(y|ies)/,
    );
    await screenshot(page, 'users-audit-log');

    // The raw entry is still there, on request.
    await update.getByText('Show the raw entry').click();
    expect(await update.locator('pre').textContent()).toContain('"action": "user.update"');

    // An end before the start: refused in the browser, the keyboard on it.
    await form.getByLabel('From', { exact: true }).fill('2026-03-02T10:00');
    await form.getByLabel('To', { exact: true }).fill('2026-03-01T10:00');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await form.getByText('The end must be after the start.').waitFor();
    await waitFor('the end to have the focus', async () =>
      (await focusedElement(page)).startsWith('INPUT To'),
    );
    await screenshot(page, 'users-audit-log-bad-range');
    await form.getByLabel('From', { exact: true }).fill('');
    await form.getByLabel('To', { exact: true }).fill('');

    // A reload keeps the filter.
    await reload(page);
    expect(await page.getByLabel('Action').inputValue()).toBe('user.*');
    await page.getByRole('table', { name: 'Audit log entries' }).getByText('user.update').first().waitFor();
    await close();
  }, 90000);

  it('on a phone the audit log is cards, nothing scrolls sideways', async () => {
    const { page, close } = await openAdminPage(browser, baseURL, 'Audit log', TEST_ADMIN, PHONE);
    await page.getByRole('table', { name: 'Audit log entries' }).waitFor();
    await screenshot(page, 'users-audit-log-phone');
    await close();
  }, 60000);
});
