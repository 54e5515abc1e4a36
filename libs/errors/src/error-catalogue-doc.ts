import {
  ERROR_CATALOGUE,
  PROBLEM_TYPE_BASE,
  problemTypeOf,
  type ErrorCode,
  type ErrorCodeEntry,
} from './error-codes';

/**
 * docs/api.md's error catalogue, rendered from ERROR_CATALOGUE so the page can't drift from the
 * code: `npm run docs:api` writes it between the two markers, and error-catalogue-doc.spec.ts
 * fails when the page differs. Plain strings in, plain string out (no fs here): the script and the
 * test do the reading and writing. The output is already in Prettier's form, so `format:check`
 * passes on the generated page.
 */
export const CATALOGUE_START = '<!-- error-catalogue:start -->';
export const CATALOGUE_END = '<!-- error-catalogue:end -->';

/** The id of a code's section: the fragment of its problem `type` URI (`#insufficient-points`). */
export function anchorOf(code: ErrorCode): string {
  return problemTypeOf(code).slice(PROBLEM_TYPE_BASE.length);
}

function entries(): [ErrorCode, ErrorCodeEntry][] {
  return Object.entries(ERROR_CATALOGUE) as [ErrorCode, ErrorCodeEntry][];
}

/** A Markdown table padded the way Prettier pads one, so formatting the page changes nothing. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function section(code: ErrorCode, entry: ErrorCodeEntry): string {
  const parts = [
    `### <a id="${anchorOf(code)}"></a>\`${code}\``,
    `**${entry.status} ${entry.title}.** ${entry.when}`,
  ];
  const fields = Object.entries(entry.fields ?? {});
  if (fields.length) {
    const items = fields.map(
      ([name, f]) => `- \`${name}\` (${f.type}${f.nullable ? ' or null' : ''}): ${f.description}`,
    );
    parts.push(`Extra members:\n\n${items.join('\n')}`);
  }
  return parts.join('\n\n');
}

/** What goes between the markers: a summary table, then one section per code, in catalogue order. */
export function renderErrorCatalogue(): string {
  const summary = table(
    ['code', 'status', 'title'],
    entries().map(([code, e]) => [`[\`${code}\`](#${anchorOf(code)})`, String(e.status), e.title]),
  );
  const blocks = [
    '<!-- Generated from ERROR_CATALOGUE in libs/errors/src/error-codes.ts by `npm run docs:api`: edit the catalogue, not this part of the page. -->',
    summary,
    ...entries().map(([code, entry]) => section(code, entry)),
  ];
  return `\n\n${blocks.join('\n\n')}\n\n`;
}

function markers(page: string): { from: number; to: number } {
  const start = page.indexOf(CATALOGUE_START);
  const end = page.indexOf(CATALOGUE_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/api.md needs ${CATALOGUE_START} followed by ${CATALOGUE_END}`);
  }
  return { from: start + CATALOGUE_START.length, to: end };
}

/** The text between the markers of a page. */
export function catalogueOf(page: string): string {
  const { from, to } = markers(page);
  return page.slice(from, to);
}

/** The page with `catalogue` between its markers; the rest of the page is kept as it is. */
export function withCatalogue(page: string, catalogue: string): string {
  const { from, to } = markers(page);
  return page.slice(0, from) + catalogue + page.slice(to);
}
