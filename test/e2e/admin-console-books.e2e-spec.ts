import { readFileSync } from 'node:fs';
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
import { checkPageState } from '../support/console-checks';
import { createBook, uploadCodes } from '../support/coupons-client';
import { ADMIN_ENV, admin, TEST_ADMIN } from '../support/identity-client';
import type { PlatformStack } from '../support/stack';

/**
 * The console's Campaigns and Coupon books pages, built as shipped and served by the gateway at
 * /admin, driven in Debian's Chromium against promotion and the coupon worker (real MongoDB, Redis
 * and RabbitMQ): a create says so and highlights its row, a refused form puts the focus on the
 * first problem, a conflict names and links the campaign in the way, an ended campaign says
 * "Ended"; a new book opens where its message says, the list row and the open book show the same
 * live figures while a job runs, the codes download as CSV, a book is deactivated; the state
 * survives a reload; phones get cards, never sideways scrolling. Every state visited is checked
 * with axe-core and for sideways scrolling.
 */
describe('admin console in Chromium: campaigns and coupon books', () => {
  const iso = new TestIsolation('console-books');
  let stack: PlatformStack;
  let browser: Browser;
  let baseURL: string;
  let adminAuth: Record<string, string>;

  beforeAll(async () => {
    ({ stack, baseURL, browser } = await startConsoleStack(iso, {
      services: ['loyalty', 'promotion', 'coupon-worker'],
      authEnv: ADMIN_ENV,
    }));
    adminAuth = (await admin(stack.http)).auth;
  }, 120000);

  afterAll(() => stopConsoleStack(iso, { stack, browser }));

  const open = (link: string, viewport?: { width: number; height: number }) =>
    openAdminPage(browser, baseURL, link, TEST_ADMIN, viewport);

  /**
   * After a reload or a typed address: signs in again only if the session did not survive it
   * (it should, issue 22), then waits for the page.
   */
  async function arrived(page: Page, heading: string) {
    const signInButton = page.getByRole('button', { name: 'Sign in' });
    const pageHeading = page.getByRole('heading', { level: 1, name: heading, exact: true });
    await signInButton.or(pageHeading).first().waitFor();
    if (await signInButton.isVisible()) {
      await signIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
      await pageHeading.waitFor();
    }
    await page.getByRole('status').filter({ hasText: 'Loading' }).first().waitFor({ state: 'detached' });
  }

  async function reload(page: Page, heading: string) {
    await page.reload();
    await arrived(page, heading);
  }

  async function goto(page: Page, path: string, heading: string) {
    await page.goto(path);
    await arrived(page, heading);
  }

  const createForm = (page: Page, button: string) =>
    page.locator('form', { has: page.getByRole('button', { name: button }) });

  it('creates a campaign with a message and its row highlighted, names and links a conflict, ends it', async () => {
    const { page, close } = await open('Campaigns');
    const form = createForm(page, 'Create campaign');
    const name = `Spring welcome ${Date.now()}`;

    // Checked in the browser: nothing is sent, the focus lands on the first problem.
    let posted = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/v1/admin/campaigns')) posted++;
    });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Discount %').fill('150');
    await form.getByLabel('Voucher limit').fill('1');
    await form.getByLabel('Starts at').fill('2099-03-10T09:00');
    await form.getByLabel('Ends at').fill('2099-03-01T09:00');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByText('The end must be after the start.').waitFor();
    expect(await focusedElement(page)).toBe('INPUT Discount %');
    await page.getByText('Enter the discount in percent: a whole number from 1 to 100.').waitFor();
    await checkPageState(page, 'campaigns-refused-in-browser');
    expect(posted).toBe(0);

    // Created: a visible message, then its row highlighted (and the URL says which).
    await form.getByLabel('Discount %').fill('30');
    await form.getByLabel('Starts at').fill('');
    await form.getByLabel('Ends at').fill('');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Campaign “${name}” created.` })
      .waitFor();
    const row = page.locator('tr[aria-current="true"]', { hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain('0 of 1 voucher');
    const campaignId = new URL(page.url()).searchParams.get('campaign');
    expect(campaignId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await row.getByRole('button', { name: `Copy campaign id ${campaignId}` }).count()).toBe(1);
    await checkPageState(page, 'campaigns-created');

    // The highlighted row survives a reload.
    await reload(page, 'Campaigns');
    await page.locator('tr[aria-current="true"]', { hasText: name }).waitFor();

    // A second one over the same time is refused: the message names the first and links to it.
    await goto(page, '/admin/campaigns', 'Campaigns');
    await form.getByLabel('Name').fill(`Second ${Date.now()}`);
    await form.getByLabel('Discount %').fill('10');
    await form.getByLabel('Voucher limit').fill('10');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The campaign was not created.' });
    await alert.getByText(`The campaign “${name}” already gives first-login vouchers`).waitFor();
    await waitFor('the focus on the conflict message', () =>
      page.evaluate<boolean>(
        `document.activeElement?.getAttribute('role') === 'alert' && document.activeElement.textContent.includes('The campaign was not created.')`,
      ),
    );
    await checkPageState(page, 'campaigns-conflict');
    await alert.getByRole('link', { name: `Show “${name}” in the list` }).click();
    await page.waitForURL(`**/admin/campaigns?campaign=${campaignId}`);
    await page.locator('tr[aria-current="true"]', { hasText: name }).waitFor();

    // Ended: it says so, never "open-ended".
    await page.getByRole('button', { name: `End ${name}` }).click();
    await page
      .getByRole('group', { name: 'Confirm ending the campaign' })
      .getByText(`End “${name}”?`)
      .waitFor();
    await page.getByRole('button', { name: 'Confirm end' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Campaign “${name}” ended.` })
      .waitFor();
    const ended = page.locator('tr', { hasText: name });
    await ended.locator('td[data-label="Runs"]', { hasText: /^Ended/ }).waitFor();
    expect(await ended.locator('td[data-label="Runs"]').textContent()).not.toMatch(/open-ended/i);
    await screenshot(page, 'books-campaigns-desktop');
    await close();
  }, 90000);

  it('opens a new book where its message says; list and book agree while a job runs; exports CSV; deactivates', async () => {
    const { page, close } = await open('Coupon books');
    const name = `Console export ${Date.now()}`;
    const form = createForm(page, 'Create book');
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Max codes per user').fill('1');
    await form.getByRole('button', { name: 'Create book' }).click();

    // The message says "below", and the book is below it, its heading focused.
    const message = page
      .getByRole('status')
      .filter({ hasText: `Coupon book “${name}” created and opened below.` });
    await message.waitFor();
    const heading = page.getByRole('heading', { level: 2, name, exact: true });
    await waitFor(
      'the new book to take the focus',
      async () => (await focusedElement(page)) === `H2 ${name}`,
    );
    const messageBox = (await message.boundingBox())!;
    const headingBox = (await heading.boundingBox())!;
    expect(headingBox.y).toBeGreaterThan(messageBox.y);
    await page.getByText('1 code per user').waitFor();
    const bookId = new URL(page.url()).searchParams.get('book')!;
    expect(bookId).toBeTruthy();

    // Generation: the list row and the open book show the same figures at every moment sampled,
    // and the jobs table the same as the progress bar.
    await page.getByLabel('How many codes').fill('30000');
    await page.getByRole('button', { name: 'Start generation' }).click();
    const listRow = page.getByRole('table', { name: 'Coupon books' }).locator('tr', { hasText: name });
    const sample = () =>
      page.evaluate<{ list: string; detail: string; bar: string; jobRow: string }>(`(() => {
        const row = [...document.querySelectorAll('table[aria-label="Coupon books"] tr')].find((r) => r.textContent.includes(${JSON.stringify(name)}));
        const jobRow = document.querySelector('table[aria-label="Recent generation jobs"] tbody tr');
        const progress = document.querySelector('.job-progress [role="status"]');
        return {
          list: row?.querySelector('td[data-label="Codes"]')?.textContent ?? '',
          detail: document.querySelector('.book-detail .figure .value')?.textContent ?? '',
          bar: (progress?.textContent ?? '').match(/([\\d,]+) of/)?.[1] ?? '',
          jobRow: jobRow?.querySelector('td[data-label="Generated"]')?.textContent ?? '',
        };
      })()`);
    const samples: Array<Awaited<ReturnType<typeof sample>>> = [];
    await waitFor(
      'the generation to finish',
      async () => {
        const s = await sample();
        samples.push(s);
        return s.detail === '30,000' && s.bar === '30,000';
      },
      90000,
      50,
    );
    for (const s of samples) {
      expect(s.list).toBe(s.detail);
      if (s.bar && s.jobRow) expect(s.jobRow).toBe(s.bar);
    }
    await page.getByText(/^Done: 30,000 codes/).waitFor();
    await listRow.locator('td[data-label="Codes"]', { hasText: '30,000' }).waitFor();
    const jobs = page.getByRole('table', { name: 'Recent generation jobs' });
    await jobs.locator('td[data-label="Job"]', { hasText: name }).first().waitFor();
    await checkPageState(page, 'books-generated');

    // The CSV export: the whole book, saved as a file named after it.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the codes (CSV)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^console-export-\d+-codes\.csv$/);
    const lines = readFileSync(await file.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toMatch(/^code,status/);
    expect(lines).toHaveLength(30001);
    await page.getByRole('status').filter({ hasText: 'Downloaded 30,000 codes as' }).waitFor();

    // Deactivated after a sentence of confirmation: the book and its list row both say so.
    await page.getByRole('button', { name: 'Deactivate book' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm: deactivate the book' });
    await confirm.getByText(`Deactivate “${name}”? While it is inactive`).waitFor();
    await checkPageState(page, 'books-confirm-deactivate');
    await confirm.getByRole('button', { name: `Deactivate “${name}”` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `“${name}” is now inactive` })
      .waitFor();
    await listRow.getByText('Inactive').waitFor();
    const api = await stack.http().get(`/v1/admin/coupon-books/${bookId}`).set(adminAuth).expect(200);
    expect(api.body).toMatchObject({ status: 'INACTIVE', active: false });

    // A reload keeps the open book and shows its status.
    await reload(page, 'Coupon books');
    await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Reactivate book' }).waitFor();
    await screenshot(page, 'books-coupon-books-desktop');
    await close();
  }, 150000);

  it('shows both pages on a phone as cards, with the actions on top and nothing scrolling sideways', async () => {
    const book = await createBook(stack.http, adminAuth, { name: `Phone book ${Date.now()}` });
    await uploadCodes(stack.http, adminAuth, book.couponBookId, 3);
    const { page, close } = await open('Coupon books', PHONE);
    await goto(page, `/admin/coupon-books?book=${book.couponBookId}`, 'Coupon books');
    await page.getByRole('heading', { level: 2, name: /^Phone book/ }).waitFor();
    await page.locator('td[data-label="Codes"]', { hasText: /^3$/ }).waitFor();
    const openButton = page.getByRole('button', { name: /^Open Phone book/ });
    const box = (await openButton.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'books-coupon-books-phone');

    const campaign = await stack
      .http()
      .post('/v1/admin/campaigns')
      .set(adminAuth)
      .send({
        name: `Phone campaign ${Date.now()}`,
        discountPercent: 15,
        voucherLimit: 1000,
        trigger: 'FIRST_LOGIN',
        startsAt: '2098-01-01T00:00:00.000Z',
        endsAt: '2098-02-01T00:00:00.000Z',
      })
      .expect(201);
    await goto(page, '/admin/campaigns', 'Campaigns');
    await page.getByRole('button', { name: `Pause ${campaign.body.name as string}` }).waitFor();
    await page.getByRole('table', { name: 'Campaigns' }).waitFor();
    const firstAction = page.locator('td.actions-cell').first();
    const actionBox = (await firstAction.boundingBox())!;
    expect(actionBox.x + actionBox.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'books-campaigns-phone');
    await close();
  }, 60000);
});
