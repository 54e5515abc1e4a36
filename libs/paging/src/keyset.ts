import type { CursorKey } from './page-cursor';

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
  const value = (i: number) => (fields[i].date ? new Date(after[i] as number) : after[i]);
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
