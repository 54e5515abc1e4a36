import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The WCAG 2.0 and 2.1 success criteria at levels A and AA, as axe-core tags its rules. */
const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** How many offending elements each finding names: enough to find them, short enough to read. */
const TARGETS_SHOWN = 3;

/**
 * axe-core's findings on the page as it is now, one line per rule: its id, impact, help text and
 * the first few elements it flagged. Empty when there are none.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // AxeBuilder injects axe with page.evaluate, which the console's CSP (script-src 'self') does not
  // govern, so the check runs against the page exactly as shipped.
  const results = await new AxeBuilder({ page }).withTags(WCAG_A_AA).analyze();
  return results.violations.map((v) => {
    const targets = v.nodes.slice(0, TARGETS_SHOWN).map((n) => n.target.join(' '));
    const more = v.nodes.length > TARGETS_SHOWN ? ` (+${v.nodes.length - TARGETS_SHOWN} more)` : '';
    return `axe ${v.id} [${v.impact ?? 'n/a'}]: ${v.help}: ${targets.join(' | ')}${more}`;
  });
}

/**
 * Evaluated in the page (a string: this file is compiled without the DOM's types). Finds what
 * scrolls sideways: the document itself (naming the outermost elements sticking out past the
 * viewport's right edge), and any visible element in <main> with its own horizontal scrollbar,
 * such as a table in a scrolling wrapper (on a phone a table must become cards, not scroll).
 */
const FIND_SIDEWAYS_SCROLL = `(() => {
  const describe = (e) => {
    const id = e.id ? '#' + e.id : '';
    const cls = typeof e.className === 'string' && e.className.trim()
      ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
    const label = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') && document.getElementById(e.getAttribute('aria-labelledby'))?.textContent || '';
    const text = (label || e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return e.tagName.toLowerCase() + id + cls + (text ? ' "' + text + '"' : '');
  };
  const visible = (e) => e.getClientRects().length > 0;
  const problems = [];
  const width = window.innerWidth;
  const doc = document.scrollingElement || document.documentElement;
  if (doc.scrollWidth > width) {
    const sticking = [...document.body.querySelectorAll('*')].filter((e) => {
      if (!visible(e) || e.getBoundingClientRect().right <= width + 1) return false;
      const parent = e.parentElement;
      return !parent || parent === document.body || parent.getBoundingClientRect().right <= width + 1;
    });
    problems.push('the page is ' + doc.scrollWidth + ' px wide in a ' + width + ' px window; sticking out: ' +
      (sticking.slice(0, 5).map((e) => describe(e) + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)').join(' | ') || 'nothing visible'));
  }
  const main = document.querySelector('main') || document.body;
  for (const e of main.querySelectorAll('*')) {
    if (!visible(e) || e.scrollWidth <= e.clientWidth + 1) continue;
    const overflowX = getComputedStyle(e).overflowX;
    if (overflowX !== 'auto' && overflowX !== 'scroll') continue;
    problems.push(describe(e) + ' scrolls sideways: ' + e.scrollWidth + ' px of content in ' + e.clientWidth + ' px');
  }
  return problems;
})()`;

/** What scrolls sideways at the current viewport, one line each; empty when nothing does. */
export function sidewaysScroll(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(FIND_SIDEWAYS_SCROLL);
}

const failure = (kind: string, stateName: string, problems: string[]) =>
  new Error(`${kind} on "${stateName}":\n  ${problems.join('\n  ')}`);

/** Fails with every WCAG 2.0/2.1 A and AA violation axe-core finds on the page as it is now. */
export async function expectNoAxeViolations(page: Page, stateName: string): Promise<void> {
  const problems = await axeViolations(page);
  if (problems.length) throw failure('accessibility violations', stateName, problems);
}

/** Fails when the page, or anything in its main content, scrolls sideways at the current viewport. */
export async function expectNoSidewaysScroll(page: Page, stateName: string): Promise<void> {
  const problems = await sidewaysScroll(page);
  if (problems.length) throw failure('sideways scrolling', stateName, problems);
}

/** Both checks' findings for the page as it is now, each line prefixed with the viewport's width. */
export async function pageStateProblems(page: Page): Promise<string[]> {
  const width = page.viewportSize()?.width ?? 0;
  const problems = [...(await sidewaysScroll(page)), ...(await axeViolations(page))];
  return problems.map((p) => `${width} px: ${p}`);
}

/**
 * Checks a state of a console page at the current viewport: no axe-core violation (WCAG 2.x A/AA)
 * and no sideways scrolling. Fails listing every finding of both.
 */
export async function checkPageState(page: Page, stateName: string): Promise<void> {
  const problems = await pageStateProblems(page);
  if (problems.length) throw failure('page-state checks failed', stateName, problems);
}
