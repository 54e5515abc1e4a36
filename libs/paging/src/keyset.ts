import type { Page } from '@lib/contracts';
import { decodeCursor, toPage, type CursorKey } from './page-cursor';
import type { PageRequest } from './page-request';

/** One sort field of a list: its document path, its direction, and whether it holds a Date. */
export interface KeysetField {
  path: string;
  order: 'asc' | 'desc';
  date?: boolean;
}

/**
 * The MongoDB filter for "after this cursor" in a keyset order, e.g. (createdAt desc, _id desc):
 * `{$or: [{createdAt: {$lt: t}}, {createdAt: t, _id: {$lt: id}}]}`. A plain object, so adapters
 * use it with mongoose or the driver alike; `{}` without a cursor.
 */
export function keysetFilter(
  fields: readonly KeysetField[],
  after: CursorKey | undefined,
): Record<string, unknown> {
  if (!after) return {};
  const value = (i: number) => (fields[i].date ? new Date(after[i]) : after[i]);
  const branches = fields.map((field, i) => {
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) branch[fields[j].path] = value(j);
    branch[field.path] = { [field.order === 'desc' ? '$lt' : '$gt']: value(i) };
    return branch;
  });
  return branches.length === 1 ? branches[0] : { $or: branches };
}

/** The sort document for the same order. */
export function keysetSort(fields: readonly KeysetField[]): Record<string, 1 | -1> {
  return Object.fromEntries(fields.map((f) => [f.path, f.order === 'desc' ? -1 : 1]));
}

/** The cursor key of a row in that order (Dates as epoch milliseconds). */
export function keysetKey(fields: readonly KeysetField[], row: Record<string, unknown>): CursorKey {
  return fields.map((f) => {
    const v = f.path
      .split('.')
      .reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], row);
    return v instanceof Date ? v.getTime() : (v as string | number);
  });
}

/** A list's order: its sort fields, and the shape of the cursor key they give (see decodeCursor). */
export interface KeysetOrder {
  fields: readonly KeysetField[];
  key: readonly ('string' | 'number')[];
}

/** The usual order of a list: newest first by `createdAt`, ties broken by a string `_id`. */
export const NEWEST_FIRST: KeysetOrder = {
  fields: [
    { path: 'createdAt', order: 'desc', date: true },
    { path: '_id', order: 'desc' },
  ],
  key: ['number', 'string'],
};

/** What an adapter's read of one page is given: the filter after the cursor, the sort, the row count. */
export interface KeysetRead {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
  limit: number;
}

/**
 * One page of a list in a keyset order: decodes the request's cursor (a 400 naming `cursor` when
 * it is not one of this order's), lets `read` fetch `limit + 1` rows after it, and makes the page.
 */
export async function readPage<R extends object, T>(
  request: PageRequest,
  order: KeysetOrder,
  read: (query: KeysetRead) => Promise<R[]>,
  map: (row: R) => T,
): Promise<Page<T>> {
  const after = decodeCursor(request.cursor, order.key);
  const rows = await read({
    filter: keysetFilter(order.fields, after),
    sort: keysetSort(order.fields),
    limit: request.limit + 1,
  });
  return toPage(rows, request, (row) => keysetKey(order.fields, row as Record<string, unknown>), map);
}
