import type { Browser, Page } from 'playwright-core';
import { TestIsolation } from '@lib/testing';
import {
  focusedElement,
  openAdminPage,
  PHONE,
  screenshot,
  signIn,
  startConsoleStack,
  stopConsoleStack,
} from '../support/console-browser';
import { ADMIN_ENV, admin, TEST_ADMIN } from '../support/identity-client';
import type { PlatformStack } from '../support/stack';

const DEFAULT_POLICY = { pendingDays: 0, expiryDays: null, expiryWarningDays: 30 };
const DEFAULT_TIERS = {
  qualifyingDays: 365,
  tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1' }],
};

/**
 * The console's Tiers and Points policy pages for people (issue 22), built as shipped and served by
 * the gateway at /admin, in Debian's Chromium against auth and loyalty (real MongoDB, Redis and
 * RabbitMQ), at desktop and phone sizes: after every result the keyboard lands on the first field
 * to correct or on the message, the policy's cross-field rule is checked before anything is sent,
 * and what was saved is what a reload shows. Every state ends in `screenshot`, which runs axe-core
 * and the no-sideways-scrolling check.
 */
describe('admin console in Chromium: tiers and points policy for people', () => {
  const iso = new TestIsolation('console-settings');
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

  async function putSettings() {
    const { auth } = await admin(stack.http);
    await stack.http().put('/v1/admin/points-policy').set(auth).send(DEFAULT_POLICY).expect(200);
    await stack.http().put('/v1/admin/tiers').set(auth).send(DEFAULT_TIERS).expect(200);
  }

  const focused = focusedElement;
  const tier = (page: Page, n: number) => page.getByRole('group', { name: new RegExp(`^Tier ${n}( |$)`) });
  /** What was sent to the API that changes anything: a refused form sends nothing. */
  const writesOf = (page: Page) => {
    const sent: string[] = [];
    page.on('request', (r) => r.method() !== 'GET' && r.url().includes('/v1/admin/') && sent.push(r.url()));
    return sent;
  };

  /**
   * A reload, still signed in where the session survives it (the refresh cookie); where it does
   * not (yet), signed in again, as the page asks.
   */
  async function reload(page: Page, heading: string) {
    await page.reload();
    const signInButton = page.getByRole('button', { name: 'Sign in' });
    const signedIn = page.getByRole('button', { name: 'Sign out' });
    await signInButton.or(signedIn).first().waitFor();
    if (await signInButton.isVisible()) await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Loading' }).first().waitFor({ state: 'detached' });
  }

  it('tiers: a refused table puts the keyboard on the first field to correct; a saved one says so, and a reload shows it', async () => {
    await putSettings();
    const { page, close } = await openAdminPage(browser, baseURL, 'Tiers', TEST_ADMIN);
    const sent = writesOf(page);

    await page.getByRole('button', { name: 'Add a tier' }).click();
    await tier(page, 2).getByLabel('Name').fill('Silver');
    await tier(page, 2).getByLabel('Minimum points').fill('0'); // not above the first tier
    await tier(page, 2).getByLabel('Earn multiplier').fill('11'); // above 10
    await page.getByRole('button', { name: 'Review tiers' }).click();
    const minimum = tier(page, 2).getByLabel('Minimum points');
    expect(await minimum.getAttribute('aria-invalid')).toBe('true');
    expect(await tier(page, 2).getByLabel('Earn multiplier').getAttribute('aria-invalid')).toBe('true');
    expect(await focused(page)).toBe('INPUT Minimum points');
    expect(await minimum.evaluate((e) => e.closest('fieldset')?.querySelector('legend')?.textContent)).toBe(
      'Tier 2',
    );
    expect(sent).toEqual([]);
    await screenshot(page, 'settings-tiers-refused');

    await minimum.fill('1000');
    await tier(page, 2).getByLabel('Earn multiplier').fill('1.5');
    await page.getByRole('button', { name: 'Review tiers' }).click();
    const confirm = page.getByRole('group', { name: 'Tiers to confirm' });
    expect(await confirm.locator('strong').textContent()).toBe(
      'Save 2 tiers, counting qualifying points over the last 365 days?',
    );
    await confirm.getByRole('button', { name: 'Save tiers' }).click();
    await page.getByText('Saved 2 tiers.').waitFor();
    expect(await focused(page)).toBe('P Saved 2 tiers.');
    await screenshot(page, 'settings-tiers-saved');

    await reload(page, 'Tiers');
    expect(await tier(page, 2).getByLabel('Name').inputValue()).toBe('Silver');
    expect(await tier(page, 2).getByLabel('Minimum points').inputValue()).toBe('1000');
    await close();
  }, 60000);

  it('points policy: points that would expire before they can be spent are refused in the browser, the keyboard on the field; a save is said and kept', async () => {
    await putSettings();
    const { page, close } = await openAdminPage(browser, baseURL, 'Points policy', TEST_ADMIN);
    const sent = writesOf(page);

    await page.getByLabel('Pending days').fill('30');
    await page.getByLabel('Points never expire').uncheck();
    await page.getByLabel('Expiry days').fill('30');
    await page.getByRole('button', { name: 'Review policy' }).click();
    expect(await page.getByLabel('Expiry days').getAttribute('aria-invalid')).toBe('true');
    expect(await focused(page)).toBe('INPUT Expiry days');
    expect(sent).toEqual([]);
    await screenshot(page, 'settings-policy-refused');

    // Nothing changed is said, and the keyboard goes to the words.
    await page.getByLabel('Pending days').fill('0');
    await page.getByLabel('Points never expire').check();
    await page.getByRole('button', { name: 'Review policy' }).click();
    await page.getByText('Nothing changed: this is the policy in force.').waitFor();
    expect(await focused(page)).toBe('P Nothing changed: this is the policy in force.');

    await page.getByLabel('Pending days').fill('14');
    await page.getByLabel('Points never expire').uncheck();
    await page.getByLabel('Expiry days').fill('365');
    await page.getByRole('button', { name: 'Review policy' }).click();
    await page.getByRole('group', { name: 'Policy change to confirm' }).waitFor();
    await page.keyboard.press('Enter'); // Save policy has the focus
    const saved = page.getByText(
      /^Saved\. Points earned from now on will wait 14 days and expire after 365 days\./,
    );
    await saved.waitFor();
    expect(await focused(page)).toMatch(/^P Saved\. Points earned from now on will wait 14 days/);
    expect(sent).toHaveLength(1);
    await screenshot(page, 'settings-policy-saved');

    await reload(page, 'Points policy');
    expect(await page.getByLabel('Pending days').inputValue()).toBe('14');
    expect(await page.getByLabel('Expiry days').inputValue()).toBe('365');
    await close();
  }, 60000);

  it('fits a 390×844 phone: the tier form, its review table as cards, and the policy form, nothing sideways', async () => {
    await putSettings();
    const { page, close } = await openAdminPage(browser, baseURL, 'Tiers', TEST_ADMIN, PHONE);
    await page.getByRole('button', { name: 'Add a tier' }).click();
    await tier(page, 2).getByLabel('Name').fill('Gold with a rather long name');
    await tier(page, 2).getByLabel('Minimum points').fill('250000');
    await tier(page, 2).getByLabel('Earn multiplier').fill('2.25');
    await page.getByRole('button', { name: 'Review tiers' }).click();
    const confirm = page.getByRole('group', { name: 'Tiers to confirm' });
    const save = confirm.getByRole('button', { name: 'Save tiers' });
    const box = (await save.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'settings-tiers-phone-review');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await focused(page)).toBe('BUTTON Review tiers');

    await page.getByRole('button', { name: 'Menu' }).click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Points policy', exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Points policy', exact: true }).waitFor();
    await page.getByLabel('Pending days').waitFor();
    await page.getByLabel('Pending days').fill('400');
    await page.getByRole('button', { name: 'Review policy' }).click();
    expect(await focused(page)).toBe('INPUT Pending days');
    await screenshot(page, 'settings-policy-phone-refused');
    await close();
  }, 60000);
});
