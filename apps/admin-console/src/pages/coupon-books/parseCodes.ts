// Reading a file of coupon codes in the browser, before any upload: one code per line, or the
// first column of a CSV. What it could not use is reported line by line rather than sent, so the
// API's 400 names at most the codes the browser could not judge.

/** The API's rule for a code (it travels in URL paths): 1-64 letters, digits, - or _. */
export const CODE_RULE = /^[A-Za-z0-9_-]{1,64}$/;
/** POST .../codes takes at most this many codes per call. */
export const MAX_CODES_PER_UPLOAD = 10_000;

export interface RejectedLine {
  /** 1-based line number in the file, where the record starts. */
  line: number;
  text: string;
  reason: string;
}

export interface ParsedCodes {
  codes: string[];
  /** Codes that appeared again further down the file (dropped, not sent). */
  duplicates: number;
  headerSkipped: boolean;
  rejected: RejectedLine[];
}

interface CsvRecord {
  line: number;
  raw: string;
  cells: string[];
  unterminated: boolean;
}

/**
 * Splits CSV text into records (RFC 4180: `"a,b"` is one cell, `""` inside quotes is a quote, a
 * quoted cell may span lines). CRLF, LF and lone CR all end a record.
 */
function csvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let start = 0;
  let line = 1;
  let startLine = 1;
  const finish = (end: number, unterminated = false) => {
    cells.push(cell);
    records.push({ line: startLine, raw: text.slice(start, end), cells, unterminated });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      finish(i);
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      start = i + 1;
      startLine = line;
    } else cell += c;
  }
  if (quoted) finish(text.length, true);
  else if (start < text.length || cells.length > 0 || cell !== '') finish(text.length);
  return records;
}

/** The codes of a file's text, deduplicated in file order, with what was skipped and why. */
export function parseCodes(text: string): ParsedCodes {
  const seen = new Set<string>();
  const result: ParsedCodes = { codes: [], duplicates: 0, headerSkipped: false, rejected: [] };
  let first = true;
  for (const record of csvRecords(text.replace(/^\uFEFF/, ''))) {
    const code = record.cells[0].trim();
    if (record.unterminated) {
      result.rejected.push({ line: record.line, text: record.raw, reason: 'a quote is never closed' });
      continue;
    }
    if (record.cells.every((c) => c.trim() === '')) continue; // blank line
    const isFirst = first;
    first = false;
    if (isFirst && code.toLowerCase() === 'code') {
      result.headerSkipped = true;
      continue;
    }
    if (!CODE_RULE.test(code)) {
      const reason =
        code === '' ? 'the first column is empty' : 'a code must be 1-64 letters, digits, - or _';
      result.rejected.push({ line: record.line, text: record.raw, reason });
      continue;
    }
    if (seen.has(code)) {
      result.duplicates++;
      continue;
    }
    seen.add(code);
    result.codes.push(code);
  }
  return result;
}

/** Consecutive slices of at most `size` items. */
export function chunks<T>(items: T[], size = MAX_CODES_PER_UPLOAD): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
