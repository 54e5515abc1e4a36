import { DomainError } from '@lib/errors';

/** An opaque `?cursor=`: the (createdAt, id) of the last item of the page, newest-first order. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.getTime(), id])).toString('base64url');
}

/** The filter for items after the cursor in (createdAt desc, _id desc) order. */
export function afterCursor(cursor: string | undefined): Record<string, unknown> {
  if (!cursor) return {};
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string];
    if (typeof ms !== 'number' || typeof id !== 'string') throw new Error('shape');
    const at = new Date(ms);
    return { $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: id } }] };
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not valid', {}, [
      { field: 'cursor', message: 'cursor must come from a previous page' },
    ]);
  }
}

export function toPage<D extends { _id: string; createdAt: Date }, T>(
  docs: D[],
  limit: number,
  map: (doc: D) => T,
): { items: T[]; nextCursor: string | null } {
  const more = docs.length > limit;
  const items = docs.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(last.createdAt, last._id) : null };
}
