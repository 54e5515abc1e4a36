import { COUPON_EXPORT_COLUMNS, type ExportedCouponCodeDto } from '@lib/contracts';

// The codes export as CSV (RFC 4180, CRLF lines), safe to open in a spreadsheet.

/** Spreadsheets run a cell that starts with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: a would-be formula gets a leading quote; a comma, quote or line break, double quotes. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = `${COUPON_EXPORT_COLUMNS.join(',')}\r\n`;

/** The rows of one page of codes, each line ending in CRLF. */
export function csvRows(codes: ExportedCouponCodeDto[]): string {
  let out = '';
  for (const c of codes) {
    out += `${[c.code, c.status, c.assignedTo, c.assignedAt, c.redemptionCount].map(csvCell).join(',')}\r\n`;
  }
  return out;
}

/** `Black Friday 2026!` → `black-friday-2026`: a file name every system takes. */
export function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'coupon-book';
}
