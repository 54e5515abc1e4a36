import type { Browser, Page } from 'playwright-core';
import { TestIsolation, waitFor } from '@lib/testing';
import { newPage, screenshot, signIn, startConsoleStack, stopConsoleStack } from '../support/console-browser';
import { ADMIN_ENV, member, TEST_ADMIN } from '../support/identity-client';
import type { PlatformStack } from '../support/stack';

const COOKIE = '__Secure-refresh-token';

/** What page scripts can reach of the session: readable cookies and the web storages. */
const SCRIPT_VISIBLE_STORAGE =
  '({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length })';

/** A refresh with the cookie as the page's own script would send it: its status. */
const REFRESH_FROM_PAGE = `fetch('/v1/auth/refresh', {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-session-cookie': '1' },
  body: '{}',
}).then((res) => res.status)`;

/**
 * The console's session across reloads, deep links and tabs (issue 22), in Chromium against the
 * real platform: the refresh token lives in an HttpOnly cookie the page never sees, the access
 * token in memory only, and a sign-out in one tab ends the session in all of them.
 */
describe('admin console session in Chromium (reloads, deep links, tabs)', () => {
  const iso = new TestIsolation('console-session');
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

  const signedIn = (page: Page) => page.getByRole('button', { name: 'Sign out' }).waitFor();

  it('stays signed in across a reload and in a new tab on a deep link, with no token readable by the page', async () => {
    const { context, page, close } = await newPage(browser, baseURL);
    const maria = await member(stack.http);
    await page.goto('/admin/');
    await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
    await signedIn(page);

    const [cookie] = (await context.cookies()).filter((c) => c.name === COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/v1/auth' });
    expect(await page.evaluate(SCRIPT_VISIBLE_STORAGE)).toEqual({ cookie: '', local: 0, session: 0 });

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await signedIn(page);
    await expect(page.getByText(`Signed in as ${TEST_ADMIN.username}`).isVisible()).resolves.toBe(true);
    expect(await page.getByLabel('Password').count()).toBe(0);

    const deepLink = `/admin/points?group=${maria.groupId}`;
    const tab = await context.newPage();
    await tab.goto(deepLink);
    await tab.getByRole('heading', { level: 1, name: 'Points' }).waitFor();
    await signedIn(tab);
    expect(new URL(tab.url()).pathname + new URL(tab.url()).search).toBe(deepLink);
    expect(await tab.evaluate(SCRIPT_VISIBLE_STORAGE)).toEqual({ cookie: '', local: 0, session: 0 });
    await screenshot(tab, 'session-deep-link-new-tab');
    await close();
  });

  it('a sign-out in one tab shows the sign-in form in the other at once, and the session is over there too', async () => {
    const { context, page, close } = await newPage(browser, baseURL);
    await page.goto('/admin/');
    await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
    await signedIn(page);
    const other = await context.newPage();
    await other.goto('/admin/users');
    await other.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await signedIn(other);
    const [cookie] = (await context.cookies()).filter((c) => c.name === COOKIE);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await other.getByLabel('Username').waitFor({ timeout: 1000 });
    expect(await other.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    // The cookie goes from the browser (once logout has answered), and its session is revoked.
    await waitFor('the logout to clear the cookie', async () =>
      (await context.cookies()).every((c) => c.name !== COOKIE),
    );
    expect(await other.evaluate(REFRESH_FROM_PAGE)).toBe(401);
    const replayed = await stack.http().post('/v1/auth/refresh').send({ refreshToken: cookie.value });
    expect(replayed.status).toBe(401);
    await other.reload();
    await other.getByLabel('Username').waitFor();
    await screenshot(other, 'session-signed-out-in-other-tab');
    await close();
  });

  it('a sign-in in one tab signs in the other tab showing the sign-in form', async () => {
    const { context, page, close } = await newPage(browser, baseURL);
    await page.goto('/admin/');
    await page.getByLabel('Username').waitFor();
    const other = await context.newPage();
    await other.goto('/admin/audit-logs');
    await other.getByLabel('Username').waitFor();

    await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
    await signedIn(page);
    await other.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await signedIn(other);
    await close();
  });
});
