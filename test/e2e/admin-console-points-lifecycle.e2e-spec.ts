import type { Browser, Page } from 'playwright-core';
import { TestIsolation, waitFor } from '@lib/testing';
import { newPage, screenshot, signIn, startConsoleStack, stopConsoleStack } from '../support/console-browser';
import { ADMIN_ENV, admin, apiClient, member, TEST_ADMIN } from '../support/identity-client';
import type { PlatformStack } from '../support/stack';

const DEFAULT_POLICY = { pendingDays: 0, expiryDays: null, expiryWarningDays: 30 };
const DEFAULT_TIERS = {
  qualifyingDays: 365,
  tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1' }],
};
const DAY_MS = 86_400_000;

/**
 * The console's points lifecycle pages, built as shipped and served by the gateway at /admin,
 * driven in Debian's Chromium against auth, loyalty and the gateway (real MongoDB, Redis and
 * RabbitMQ): an admin edits the points policy and the tiers after a confirmation, and a group's
 * points show what is pending, what expires soon and the tier. The policy and the tiers are
 * global settings of this file's loyalty database: each test sets the ones it starts from.
 */
describe('admin console in Chromium: points policy, tiers, pending points', () => {
  const iso = new TestIsolation('console-lifecycle');
  let stack: PlatformStack;
  let browser: Browser;
  let baseURL: string;

  const adminAuth = async () => (await admin(stack.http)).auth;

  beforeAll(async () => {
    ({ stack, baseURL, browser } = await startConsoleStack(iso, {
      services: ['loyalty'],
      authEnv: ADMIN_ENV,
    }));
  }, 120000);

  afterAll(() => stopConsoleStack(iso, { stack, browser }));

  /** Settings through the API, so that each test starts from what it says. */
  async function putSettings(policy: object, tiers: object) {
    const auth = await adminAuth();
    await stack.http().put('/v1/admin/points-policy').set(auth).send(policy).expect(200);
    await stack.http().put('/v1/admin/tiers').set(auth).send(tiers).expect(200);
  }

  /** A signed-in admin on the page whose navigation link is `link` (exactly: "Points" ≠ "Points policy"). */
  async function onPage(link: string) {
    const opened = await newPage(browser, baseURL);
    const { page } = opened;
    await page.goto('/admin/');
    await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: link, exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: link, exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Loading' }).first().waitFor({ state: 'detached' });
    return opened;
  }

  /** The text that describes an input (its hint and its error), as a screen reader reads it. */
  async function description(page: Page, label: string): Promise<string> {
    const ids = (await page.getByLabel(label, { exact: true }).getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(
      ids
        .split(' ')
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    return texts.join(' ');
  }

  it('edits the points policy: a browser check first, then a confirmation in a sentence, and the API has it', async () => {
    await putSettings(DEFAULT_POLICY, DEFAULT_TIERS);
    const { page, close } = await onPage('Points policy');
    await page
      .getByText(
        'Points earned now are available at once and never expire. Points that expire within 30 days',
      )
      .waitFor();
    expect(await page.getByLabel('Points never expire').isChecked()).toBe(true);

    // Points that would expire before they can be spent: refused beside the field, nothing sent.
    const puts: string[] = [];
    page.on('request', (r) => r.method() === 'PUT' && puts.push(r.url()));
    await page.getByLabel('Pending days').fill('14');
    await page.getByLabel('Points never expire').uncheck();
    await page.getByLabel('Expiry days').fill('10');
    await page.getByRole('button', { name: 'Review policy' }).click();
    expect(await description(page, 'Expiry days')).toContain('Enter more days than the 14 days points wait');
    expect(puts).toEqual([]);

    await page.getByLabel('Expiry days').fill('365');
    await page.getByRole('button', { name: 'Review policy' }).click();
    const confirm = page.getByRole('group', { name: 'Policy change to confirm' });
    expect(await confirm.locator('p').first().textContent()).toBe(
      'Points earned from now on will wait 14 days and expire after 365 days. Points already earned keep their dates.',
    );
    await screenshot(page, 'points-policy-confirm');
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().endsWith('/v1/admin/points-policy'),
    );
    await page.keyboard.press('Enter'); // Save policy has the focus
    expect((await saved).status()).toBe(200);
    await page
      .getByText(/^Saved\. Points earned from now on will wait 14 days and expire after 365 days\./)
      .waitFor();

    const auth = await adminAuth();
    const policy = await stack.http().get('/v1/admin/points-policy').set(auth).expect(200);
    expect(policy.body).toEqual({ pendingDays: 14, expiryDays: 365, expiryWarningDays: 30 });
    const audit = await waitFor('the points-policy.update audit entry', async () => {
      const res = await stack
        .http()
        .get('/v1/admin/audit-logs')
        .query({ action: 'points-policy.update' })
        .set(auth)
        .expect(200);
      return res.body.items.length ? res.body.items : undefined;
    });
    expect(audit[0]).toMatchObject({ action: 'points-policy.update' });
    await close();
  }, 60000);

  it("edits the tiers: a browser check beside the tier's field first, then a confirmation table, and the API has them", async () => {
    await putSettings(DEFAULT_POLICY, DEFAULT_TIERS);
    const { page, close } = await onPage('Tiers');
    const tier = (n: number) => page.getByRole('group', { name: new RegExp(`^Tier ${n}( |$)`) });
    expect(await tier(1).getByLabel('Name').inputValue()).toBe('Standard');

    await page.getByRole('button', { name: 'Add a tier' }).click();
    await tier(2).getByLabel('Name').fill('Silver');
    await tier(2).getByLabel('Minimum points').fill('0'); // not above the first tier
    await tier(2).getByLabel('Earn multiplier').fill('2');
    await page.getByRole('button', { name: 'Review tiers' }).click();
    expect(await tier(2).getByLabel('Minimum points').getAttribute('aria-invalid')).toBe('true');

    await tier(2).getByLabel('Minimum points').fill('100');
    await page.getByRole('button', { name: 'Review tiers' }).click();
    const confirm = page.getByRole('group', { name: 'Tiers to confirm' });
    expect(await confirm.locator('strong').textContent()).toBe(
      'Save 2 tiers, counting qualifying points over the last 365 days?',
    );
    expect(await confirm.getByRole('row').allTextContents()).toEqual([
      'TierFrom (qualifying points)Earn multiplier',
      'Standard0×1',
      'Silver100×2',
    ]);
    await screenshot(page, 'tiers-confirm');
    await confirm.getByRole('button', { name: 'Save tiers' }).click();
    await page.getByText('Saved 2 tiers.').waitFor();

    const tiers = await stack
      .http()
      .get('/v1/admin/tiers')
      .set(await adminAuth())
      .expect(200);
    expect(tiers.body).toEqual({
      qualifyingDays: 365,
      tiers: [
        { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
        { name: 'Silver', minPoints: 100, earnMultiplier: '2' },
      ],
    });
    await close();
  }, 60000);

  it("shows a group's pending points beside its balance, the points expiring soon and its tier, and the history's entries", async () => {
    await putSettings(
      { pendingDays: 14, expiryDays: 365, expiryWarningDays: 30 },
      {
        qualifyingDays: 365,
        tiers: [
          { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
          { name: 'Silver', minPoints: 1000, earnMultiplier: '2' },
        ],
      },
    );
    const auth = await adminAuth();
    const someone = await member(stack.http);
    const till = await apiClient(stack.http, auth, ['purchases:write']);
    // A purchase today waits 14 days: pending. A payer credit from 350 days ago is available
    // and expires in 15 days: expiring soon.
    await stack
      .http()
      .post('/v1/purchases')
      .set(till.auth)
      .send({ purchaseId: `console-${Date.now()}`, userId: someone.userId, amount: '50.00' })
      .expect(201);
    const longAgo = new Date(Date.now() - 350 * DAY_MS).toISOString();
    await stack
      .http()
      .post(`/v1/admin/groups/${someone.groupId}/transactions`)
      .set(auth)
      .send({
        transactionId: `credit-${Date.now()}`,
        payer: 'DANNON',
        points: 200,
        timestamp: longAgo,
        reason: 'Co-marketing credit',
      })
      .expect(201);
    const points = await stack.http().get(`/v1/admin/groups/${someone.groupId}/points`).set(auth).expect(200);
    expect(points.body).toMatchObject({ balance: 200, pending: 50 });
    expect(points.body.expiringSoon).toEqual([{ points: 200, expiresAt: expect.any(String) }]);

    const { page, close } = await onPage('Points');
    await page.getByLabel('Group id').fill(someone.groupId);
    await page.getByRole('button', { name: 'Show points', exact: true }).click();
    await waitFor('the balance', async () => (await page.getByTestId('balance').textContent()) === '200');
    expect(await page.getByTestId('pending').textContent()).toBe('50');
    expect(await page.locator('.figure', { has: page.getByTestId('pending') }).textContent()).toContain(
      'pending: not yet spendable',
    );

    const expiring = page.getByRole('table', { name: 'Points expiring soon' });
    const [, row] = await expiring.getByRole('row').allTextContents();
    expect(row).toMatch(/200$/);

    const tier = page.getByRole('region', { name: 'Tier', exact: true });
    expect(await tier.getByTestId('tier-name').textContent()).toBe(points.body.tier.name);
    expect(await tier.locator('dd').allTextContents()).toEqual([
      'Standard',
      '×1',
      points.body.tier.qualifyingPoints.toLocaleString('en-US'),
      `Silver: ${points.body.tier.pointsToNextTier.toLocaleString('en-US')} more qualifying points`,
    ]);

    const history = page.getByRole('table', { name: 'Points history' });
    await history.getByRole('cell', { name: 'Co-marketing credit' }).waitFor();
    expect(await history.getByRole('cell', { name: 'Earned', exact: true }).count()).toBe(1);
    await screenshot(page, 'points-lifecycle');
    await close();
  }, 60000);
});
