import type { Browser, Page } from 'playwright-core';
import { TestIsolation, waitFor } from '@lib/testing';
import {
  newPage,
  PHONE,
  screenshot,
  signIn,
  startConsoleStack,
  stopConsoleStack,
} from '../support/console-browser';
import { pageStateProblems } from '../support/console-checks';
import {
  ADMIN_ENV,
  admin,
  apiClient,
  member,
  PASSWORD,
  TEST_ADMIN,
  uniqueUsername,
} from '../support/identity-client';
import type { PlatformStack } from '../support/stack';

/**
 * The admin console, built as shipped and served by the gateway at /admin, driven in Debian's
 * Chromium against the whole platform (auth, loyalty, promotion, coupon worker; real MongoDB,
 * Redis and RabbitMQ). Every test ends with a screenshot under test-results/console/.
 * Access tokens last 60 s here (the minimum), so the expired-session test needs no fake clock.
 */
describe('admin console in Chromium, against the real platform', () => {
  const iso = new TestIsolation('console');
  let stack: PlatformStack;
  let browser: Browser;
  let baseURL: string;
  const done: Record<string, string> = {}; // ids the audit test looks for

  const adminApi = async () => (await admin(stack.http)).auth;

  async function signedInPage(viewport?: { width: number; height: number }) {
    const { page, close } = await newPage(browser, baseURL, viewport);
    await page.goto('/admin/');
    await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return { page, close };
  }

  async function goTo(page: Page, link: string) {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: link, exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: link }).waitFor();
  }

  beforeAll(async () => {
    ({ stack, baseURL, browser } = await startConsoleStack(iso, {
      services: ['loyalty', 'promotion', 'coupon-worker'],
      authEnv: { ...ADMIN_ENV, ACCESS_TOKEN_TTL_SECONDS: '60' },
    }));
  }, 120000);

  afterAll(() => stopConsoleStack(iso, { stack, browser }));

  it('signs an admin in by keyboard alone, signs out revoking the refresh token, and refuses a member', async () => {
    const { context, page, close } = await newPage(browser, baseURL);
    await page.goto('/admin/');
    // Username has the focus on arrival; Tab to the password, Enter submits.
    // Polled with evaluate: waitForFunction's polling evals the string, which the CSP refuses.
    await waitFor(
      'the username field to have the focus',
      async () =>
        (await page.evaluate<string | null>(
          "document.activeElement?.getAttribute('autocomplete') ?? null",
        )) === 'username',
    );
    await page.keyboard.type(TEST_ADMIN.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await page.getByTestId('stat-members').waitFor();
    await screenshot(page, 'home');

    // The refresh token lives in an HttpOnly cookie: the test, unlike the page, can read it.
    const sessionCookie = async () =>
      (await context.cookies()).find((c) => c.name === '__Secure-refresh-token')?.value;
    const refreshToken = await sessionCookie();
    expect(refreshToken).toBeTruthy();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await waitFor('the session cookie to be cleared', async () => (await sessionCookie()) === undefined);
    await waitFor('the refresh token to be revoked', async () => {
      const res = await stack.http().post('/v1/auth/refresh').send({ refreshToken });
      return res.status === 401;
    });

    const someone = await member(stack.http);
    await signIn(page, someone.username, PASSWORD);
    await page
      .getByRole('alert')
      .filter({ hasText: `${someone.username} is not an administrator` })
      .waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await screenshot(page, 'sign-in-refused');
    await close();
  }, 60000);

  it('enrolls a user (showing the API field error beside its field first), then finds them by search', async () => {
    const { page, close } = await signedInPage();
    await goTo(page, 'Users');
    const username = uniqueUsername('enrolled');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Enroll' }) });
    await form.getByLabel('Username').fill(username);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByRole('button', { name: 'Enroll' }).click();
    const email = form.getByLabel('Email');
    await waitFor(
      'the email field to be flagged',
      async () => (await email.getAttribute('aria-invalid')) === 'true',
    );
    const describedBy = (await email.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/email/i);
    await screenshot(page, 'users-field-error');

    await email.fill(`${username}@example.com`);
    await form.getByRole('button', { name: 'Enroll' }).click();
    await page.getByText(`Enrolled ${username}.`).waitFor();

    await page.getByLabel('Search users').fill(username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('cell', { name: username, exact: true }).waitFor();
    await screenshot(page, 'users');

    const found = await stack
      .http()
      .get(`/v1/admin/users?query=${username}`)
      .set(await adminApi());
    expect(found.body.items).toHaveLength(1);
    done.enrolledUserId = found.body.items[0].userId as string;
    await close();
  }, 60000);

  it("adjusts a group's points after a confirmation, and the balance changes", async () => {
    const someone = await member(stack.http);
    const { page, close } = await signedInPage();
    await goTo(page, 'Points');
    await page.getByLabel('Find a member').fill(someone.username);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('button', { name: `Show points of ${someone.username}` }).click();
    await waitFor('the balance', async () => (await page.getByTestId('balance').textContent()) === '0');

    await page.getByLabel('Payer').fill('STORE');
    await page.getByLabel('Points', { exact: true }).fill('1500');
    await page.getByLabel('Reason').fill('Welcome gift');
    await page.getByRole('button', { name: 'Review adjustment' }).click();
    // The group is named by its members, and the review shows the balance before and after.
    const group = `the group of ${someone.username}`;
    await page.getByText(`Add 1,500 points to payer STORE in ${group}?`).waitFor();
    expect(await page.getByTestId('balance-change').textContent()).toMatch(/^0 →\D*1,500$/);
    await page.getByRole('button', { name: 'Confirm adjustment' }).click();
    await waitFor(
      'the new balance',
      async () => (await page.getByTestId('balance').textContent()) === '1,500',
    );
    await page.getByText(`Added 1,500 points to payer STORE in ${group}. Balance: 1,500.`).waitFor();
    await screenshot(page, 'points');

    const points = await stack
      .http()
      .get(`/v1/admin/groups/${someone.groupId}/points`)
      .set(await adminApi());
    expect(points.body).toMatchObject({ balance: 1500, byPayer: { STORE: 1500 } });
    done.adjustedGroupId = someone.groupId;
    await close();
  }, 60000);

  it('starts a 100,000-code generation job and watches its progress bar reach 100%', async () => {
    const { page, close } = await signedInPage();
    await goTo(page, 'Coupon books');
    const name = `Console book ${Date.now()}`;
    const create = page.locator('form', { has: page.getByRole('button', { name: 'Create book' }) });
    await create.getByLabel('Name').fill(name);
    await create.getByRole('button', { name: 'Create book' }).click();
    await page.getByRole('heading', { name }).waitFor();

    await page.getByLabel('How many codes').fill('100000');
    await page.getByRole('button', { name: 'Start generation' }).click();
    const bar = page.getByRole('progressbar', { name: 'Generation progress' });
    await bar.waitFor();
    const seen: number[] = [];
    await waitFor(
      'the generation to reach 100%',
      async () => {
        seen.push(Number(await bar.getAttribute('aria-valuenow')));
        return seen.at(-1) === 100;
      },
      120000,
      100,
    );
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // it only moves forward
    await page
      .getByText(/codes\/s/)
      .first()
      .waitFor();
    await page.getByText(/^Done: 100,000 codes/).waitFor();
    await screenshot(page, 'coupon-book-generation');

    const books = await stack
      .http()
      .get('/v1/admin/coupon-books?limit=100')
      .set(await adminApi());
    const book = (
      books.body.items as Array<{ name: string; couponBookId: string; stats: { total: number } }>
    ).find((b) => b.name === name)!;
    expect(book.stats.total).toBe(100000);
    done.couponBookId = book.couponBookId;
    await close();
  }, 150000);

  it('finds the audit entries of all of the above, and the chain verifies', async () => {
    const { page, close } = await signedInPage();
    await goTo(page, 'Audit log');
    const expected = [
      { action: 'user.enroll', target: `user:${done.enrolledUserId}` },
      { action: 'points.adjust', target: `group:${done.adjustedGroupId}` },
      { action: 'coupon-book.create', target: `coupon-book:${done.couponBookId}` },
      { action: 'coupon-book.generation-job.create', target: `coupon-book:${done.couponBookId}` },
    ];
    for (const { action, target } of expected) {
      await page.getByRole('combobox', { name: 'Action', exact: true }).fill(action);
      await page.getByRole('textbox', { name: 'Target', exact: true }).fill(target);
      // Entries reach the log through the services' outboxes: apply again until it is there.
      await waitFor(`the ${action} entry`, async () => {
        await page.getByRole('button', { name: 'Apply filters' }).click();
        await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
        return (await page.getByRole('row').filter({ hasText: action }).count()) === 1;
      });
    }
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(/^Chain intact: \d+ entries checked\.$/).waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await screenshot(page, 'audit-log');
    await close();
  }, 90000);

  it('fits a 390×844 phone: the menu opens, no page (nor any table) scrolls sideways, axe finds nothing', async () => {
    const { page, close } = await signedInPage(PHONE);
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    // Webhooks needs the dispatcher, which this file doesn't run: the tour checks that page.
    const pages = ['Users', 'Points', 'Points policy', 'Tiers', 'Coupon books', 'API clients'];
    const problems: string[] = [];
    for (const link of [...pages, 'Audit log', 'Home', 'Campaigns']) {
      await page.getByRole('button', { name: 'Menu' }).click();
      await goTo(page, link);
      const loading = page.getByRole('status').filter({ hasText: 'Loading' });
      await waitFor(`${link} to load`, async () => (await loading.count()) === 0);
      problems.push(...(await pageStateProblems(page)).map((p) => `${link}: ${p}`));
    }
    expect(problems).toEqual([]);
    await page.getByRole('button', { name: 'Create campaign' }).waitFor();
    await screenshot(page, 'phone-campaigns');
    await close();
  }, 60000);

  it('sends an expired session back to sign-in without losing the form being typed', async () => {
    const adminAuth = await adminApi();
    const username = uniqueUsername('admin2');
    const enrolled = await stack
      .http()
      .post('/v1/admin/users')
      .set(adminAuth)
      .send({ username, password: PASSWORD, email: `${username}@example.com`, roles: ['admin', 'member'] })
      .expect(201);
    const { page, close } = await newPage(browser, baseURL);
    await page.goto('/admin/campaigns');
    await signIn(page, username, PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Campaigns' }).waitFor();
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Create campaign' }) });
    const campaign = `Half-typed ${Date.now()}`;
    await form.getByLabel('Name').fill(campaign);
    await form.getByLabel('Discount %').fill('30');

    // Disabling the account revokes its refresh tokens: the console's next refresh is refused.
    const setStatus = async (status: string) =>
      stack
        .http()
        .patch(`/v1/admin/users/${enrolled.body.userId}`)
        .set(await adminApi())
        .send({ status })
        .expect(200);
    await setStatus('DISABLED');
    await page
      .getByRole('dialog')
      .getByRole('heading', { name: 'Your session expired' })
      .waitFor({ timeout: 90000 });
    await screenshot(page, 'session-expired');
    await setStatus('ACTIVE');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });

    expect(await form.getByLabel('Name').inputValue()).toBe(campaign);
    expect(await form.getByLabel('Discount %').inputValue()).toBe('30');
    await form.getByLabel('Voucher limit').fill('100');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('cell', { name: campaign }).first().waitFor();
    done.campaignName = campaign;
    await close();
  }, 150000);

  it('shows the live figures of all of the above on Home, as the stats API gives them', async () => {
    const shopper = await member(stack.http);
    // A till records the shopper's purchase (members can't); the shopper spends some points.
    const till = await apiClient(stack.http, await adminApi(), ['purchases:write']);
    await stack
      .http()
      .post('/v1/purchases')
      .set(till.auth)
      .send({ purchaseId: `p-${Date.now()}`, userId: shopper.userId, amount: '240.00' })
      .expect(201);
    await stack
      .http()
      .post('/v1/redemptions')
      .set(shopper.auth)
      .send({ redemptionId: `r-${Date.now()}`, points: 90 })
      .expect(201);
    const stats = (
      await stack
        .http()
        .get('/v1/admin/stats?days=30')
        .set(await adminApi())
        .expect(200)
    ).body as {
      members: number;
      pointsByDay: Array<{ earned: number; redeemed: number }>;
    };
    const earned = stats.pointsByDay.reduce((sum, d) => sum + d.earned, 0);
    const redeemed = stats.pointsByDay.reduce((sum, d) => sum + d.redeemed, 0);
    expect(redeemed).toBe(90);

    const { page, close } = await signedInPage();
    const totals = `Earned ${earned.toLocaleString('en-US')} · Redeemed ${redeemed.toLocaleString('en-US')}`;
    await page.getByTestId('points-totals').filter({ hasText: totals }).waitFor();
    expect(await page.getByTestId('stat-members').textContent()).toContain(String(stats.members));
    const campaigns = page.getByRole('table', { name: 'Vouchers per active campaign' });
    await campaigns.getByRole('row', { name: new RegExp(done.campaignName) }).waitFor();
    await screenshot(page, 'home-live');
    await close();
  }, 60000);
});
