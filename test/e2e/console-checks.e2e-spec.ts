import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPage, PHONE } from '../support/console-browser';
import { checkPageState, expectNoAxeViolations, expectNoSidewaysScroll } from '../support/console-checks';

/** A small page in the console's shape: a table in a wrapper that scrolls when the table is wider. */
const page = (table: string, extra = '') => `<!doctype html>
<html lang="en"><head><title>Check</title>
<style>.table-wrap { overflow-x: auto } td { white-space: nowrap }</style></head>
<body><main><h1>Check</h1><div class="table-wrap">${table}</div>${extra}</main></body></html>`;

const NARROW = '<table><tr><th>Name</th></tr><tr><td>Ana</td></tr></table>';
const WIDE = `<table aria-label="Wide"><tr><th>Name</th></tr><tr><td>${'Ana Silva '.repeat(20)}</td></tr></table>`;

/**
 * The checks every browser test's screenshot runs (test/support/console-checks.ts), in Debian's
 * Chromium on pages made for them: they pass a clean page, and fail, naming the element, on a
 * table that scrolls sideways, a page wider than the window, and an axe-core violation.
 */
describe('console page-state checks', () => {
  let browser: Browser;
  let opened: { page: Page; close: () => Promise<void> };

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());
  beforeEach(async () => {
    opened = await newPage(browser, 'http://127.0.0.1', PHONE);
  });
  afterEach(async () => opened.close());

  it('passes a page that fits the phone and breaks no WCAG A/AA rule', async () => {
    await opened.page.setContent(page(NARROW));
    await expect(checkPageState(opened.page, 'clean')).resolves.toBeUndefined();
  });

  it('fails a table that scrolls sideways inside its wrapper, naming the wrapper and the widths', async () => {
    await opened.page.setContent(page(WIDE));
    await expect(expectNoSidewaysScroll(opened.page, 'wide table')).rejects.toThrow(
      /sideways scrolling on "wide table":\n {2}div\.table-wrap "Name.*" scrolls sideways: \d+ px of content in \d+ px/,
    );
  });

  it('fails a page wider than the window, naming what sticks out', async () => {
    await opened.page.setContent(page(NARROW, '<p id="banner" style="width: 900px">Wide banner</p>'));
    await expect(expectNoSidewaysScroll(opened.page, 'wide page')).rejects.toThrow(
      /the page is \d+ px wide in a 390 px window; sticking out: p#banner "Wide banner" \(right edge \d+ px\)/,
    );
  });

  it('fails an axe-core violation with its rule, impact, help and element', async () => {
    await opened.page.setContent(page(NARROW, '<img src="data:," id="logo">'));
    await expect(expectNoAxeViolations(opened.page, 'no alt')).rejects.toThrow(
      /accessibility violations on "no alt":\n {2}axe image-alt \[critical\]: Images must have alternative text: #logo/,
    );
  });
});
