import { ValidationFailed } from '@lib/errors';
import type { Page } from '@lib/contracts';
import type { PageRequest } from './page-request';

/** One position in a list's order: the sort key values of the last item of a page, in order. */
export type CursorKey = readonly (string | number)[];

/**
 * The one cursor format of every list: base64url of the JSON array of the last item's sort keys
 * (a Date travels as its epoch milliseconds). Opaque to clients; a cursor that doesn't decode to
 * the list's key shape is a 400 naming `cursor`.
 */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** `shape` gives each key's type, in order: 'number' (Dates are numbers) or 'string'. */
export function decodeCursor(
  cursor: string | undefined,
  shape: readonly ('string' | 'number')[],
): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === shape.length &&
      key.every((v, i) => (shape[i] === 'number' ? Number.isSafeInteger(v) : typeof v === 'string'))
    ) {
      return key as CursorKey;
    }
  } catch {
    // answered below
  }
  throw new ValidationFailed([{ field: 'cursor', message: 'cursor is not one this list gave out' }]);
}

/**
 * A page from `limit + 1` rows read in the list's order: the extra row only says that there is a
 * next page, whose cursor is the key of the page's last item.
 */
export function toPage<R, T>(
  rows: readonly R[],
  request: Pick<PageRequest, 'limit'>,
  keyOf: (row: R) => CursorKey,
  map: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, request.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: rows.length > request.limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
