import { DomainError } from '@lib/errors';
import { encodeCursor, NEWEST_FIRST, readPage, type KeysetRead } from '.';

describe('readPage: one page of a keyset-ordered list', () => {
  const at = (ms: number) => new Date(ms);
  const rows = [
    { _id: 'c', createdAt: at(3000) },
    { _id: 'b', createdAt: at(2000) },
    { _id: 'a', createdAt: at(2000) },
  ];

  it('asks for limit + 1 rows after the cursor, newest first, and pages them', async () => {
    const asked: KeysetRead[] = [];
    const read = (query: KeysetRead) => {
      asked.push(query);
      return Promise.resolve(rows.slice(0, query.limit));
    };
    const first = await readPage({ limit: 2 }, NEWEST_FIRST, read, (r) => r._id);
    expect(first.items).toEqual(['c', 'b']);
    expect(first.nextCursor).toBe(encodeCursor([2000, 'b']));
    expect(asked[0]).toEqual({ filter: {}, sort: { createdAt: -1, _id: -1 }, limit: 3 });

    await readPage({ limit: 2, cursor: first.nextCursor! }, NEWEST_FIRST, read, (r) => r._id);
    expect(asked[1].filter).toEqual({
      $or: [{ createdAt: { $lt: at(2000) } }, { createdAt: at(2000), _id: { $lt: 'b' } }],
    });
  });

  it('refuses a cursor of another order before reading anything, naming cursor', async () => {
    const read = jest.fn(() => Promise.resolve(rows));
    const refused = await readPage(
      { limit: 2, cursor: encodeCursor(['x']) },
      NEWEST_FIRST,
      read,
      (r) => r,
    ).catch((err: DomainError) => err);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    expect(read).not.toHaveBeenCalled();
  });
});
