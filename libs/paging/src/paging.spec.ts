import { DomainError } from '@lib/errors';
import { decodeCursor, encodeCursor, keysetFilter, keysetKey, keysetSort, readPageRequest, toPage } from '.';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.errors?.[0]?.field;
    throw err;
  }
  return undefined;
}

describe('paging: one limit rule and one cursor format for every list', () => {
  it('takes limit 1-100, 20 by default, and refuses anything else naming limit', () => {
    expect(readPageRequest(undefined)).toEqual({ limit: 20, cursor: undefined });
    expect(readPageRequest({ limit: 1 }).limit).toBe(1);
    expect(readPageRequest({ limit: 100, cursor: 'abc' })).toEqual({ limit: 100, cursor: 'abc' });
    for (const limit of [0, 101, 2.5, -1, '50', true, Number.NaN]) {
      expect(fieldOf(() => readPageRequest({ limit }))).toBe('limit');
    }
    expect(fieldOf(() => readPageRequest({ cursor: 5 }))).toBe('cursor');
  });

  it('round-trips a cursor and refuses one of another shape or not ours', () => {
    const cursor = encodeCursor([1700000000000, 'id-1']);
    expect(decodeCursor(cursor, ['number', 'string'])).toEqual([1700000000000, 'id-1']);
    expect(decodeCursor(undefined, ['number'])).toBeUndefined();
    expect(fieldOf(() => decodeCursor(cursor, ['number']))).toBe('cursor');
    expect(fieldOf(() => decodeCursor(cursor, ['string', 'string']))).toBe('cursor');
    expect(fieldOf(() => decodeCursor('not base64 json', ['number']))).toBe('cursor');
  });

  it('makes a page from limit + 1 rows: a cursor only when there is more', () => {
    const rows = [{ n: 5 }, { n: 4 }, { n: 3 }];
    const full = toPage(
      rows,
      { limit: 2 },
      (r) => [r.n],
      (r) => r.n,
    );
    expect(full.items).toEqual([5, 4]);
    expect(decodeCursor(full.nextCursor ?? undefined, ['number'])).toEqual([4]);
    expect(
      toPage(
        rows,
        { limit: 3 },
        (r) => [r.n],
        (r) => r.n,
      ),
    ).toEqual({ items: [5, 4, 3], nextCursor: null });
    expect(
      toPage(
        [],
        { limit: 3 },
        () => [0],
        (r) => r,
      ),
    ).toEqual({ items: [], nextCursor: null });
  });

  it('builds the keyset filter, sort and key of a (createdAt desc, _id desc) order', () => {
    const order = [
      { path: 'createdAt', order: 'desc', date: true },
      { path: '_id', order: 'desc' },
    ] as const;
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(keysetKey(order, { createdAt: at, _id: 'b' })).toEqual([at.getTime(), 'b']);
    expect(keysetSort(order)).toEqual({ createdAt: -1, _id: -1 });
    expect(keysetFilter(order, undefined)).toEqual({});
    expect(keysetFilter(order, [at.getTime(), 'b'])).toEqual({
      $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: 'b' } }],
    });
    expect(keysetFilter([{ path: 'seq', order: 'asc' }], [7])).toEqual({ seq: { $gt: 7 } });
  });
});
