import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestIsolation } from '@lib/testing';
import { type PlatformStack, startPlatformStack } from './stack';
import { checkPageState } from './console-checks';

/** Where each browser test leaves a screenshot of the page it ends on (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'console');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * Debian's Chromium (`npm test` installs it when missing; CHROMIUM_PATH overrides the path).
 * The flags keep it from calling home, which this closed network refuses at every start.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath))
    throw new Error(
      `no Chromium at ${executablePath}: run the tests with \`npm test\` (it installs Debian's chromium)`,
    );
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox', // as root in CI containers
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The built console must exist: `npm test` builds it; `npm run build:console` by hand. */
export function assertConsoleBuilt(): void {
  const index = join(__dirname, '..', '..', 'dist', 'admin-console', 'index.html');
  if (!existsSync(index))
    throw new Error(`the admin console is not built (${index}): run \`npm run build:console\` first`);
}

/**
 * A page in a fresh context (no shared storage). `close()` fails the test if the page threw an
 * uncaught error or the browser refused something under the Content-Security-Policy.
 */
export async function newPage(browser: Browser, baseURL: string, viewport = DESKTOP) {
  const context: BrowserContext = await browser.newContext({ baseURL, viewport });
  context.setDefaultTimeout(15000);
  const page: Page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`uncaught error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text()))
      problems.push(msg.text());
  });
  const close = async () => {
    await context.close();
    if (problems.length) throw new Error(`the console page reported:\n${problems.join('\n')}`);
  };
  return { context, page, close };
}

/** A full-page screenshot of the page as it is, as test-results/console/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.mouse.move(0, 0); // no chart tooltip left open under the last click
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Checks the page's state (axe-core finds no WCAG A/AA violation, nothing scrolls sideways at this
 * viewport), then saves its screenshot: every browser test ends here, so every end state is
 * checked. The screenshot is taken even when a check fails, to show what failed.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  const checked = await checkPageState(page, name).catch((err: Error) => err);
  await saveScreenshot(page, name);
  if (checked instanceof Error) throw checked;
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A signed-in admin on the console page its main menu calls `link` (headed `link` too), allowed to
 * use the clipboard, once the page has loaded.
 */
export async function openAdminPage(
  browser: Browser,
  baseURL: string,
  link: string,
  admin: { username: string; password: string },
  viewport?: { width: number; height: number },
) {
  const opened = await newPage(browser, baseURL, viewport);
  await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const { page } = opened;
  await page.goto('/admin/');
  await signIn(page, admin.username, admin.password);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  if (viewport === PHONE) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: link, exact: true }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
  return opened;
}

/** What the keyboard is on: the element's tag, and its label's text or its own. */
export const focusedElement = (page: Page) =>
  page.evaluate<string>(
    '(() => { const e = document.activeElement; const text = e.labels?.[0]?.textContent ?? e.textContent ?? ""; return `${e.tagName} ${text.trim()}`; })()',
  );

/**
 * What every browser test starts from: the built console, the platform (`options` as for
 * startPlatformStack) with the gateway listening on a free port, and Chromium. Stopped with
 * stopConsoleStack in afterAll.
 */
export async function startConsoleStack(
  iso: TestIsolation,
  options: Parameters<typeof startPlatformStack>[1],
): Promise<{ stack: PlatformStack; baseURL: string; browser: Browser }> {
  assertConsoleBuilt();
  const stack = await startPlatformStack(iso, options);
  try {
    await stack.gateway.listen(0, '127.0.0.1');
    const baseURL = await stack.gateway.getUrl();
    return { stack, baseURL, browser: await launchChromium() };
  } catch (err) {
    await stack.close();
    throw err;
  }
}

/** Closes what startConsoleStack started (whatever of it did start), then drops the test's data. */
export async function stopConsoleStack(
  iso: TestIsolation,
  { stack, browser }: { stack?: PlatformStack; browser?: Browser },
): Promise<void> {
  await browser?.close();
  await stack?.close();
  await iso.cleanup();
}
