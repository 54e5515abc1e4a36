import { ValidationFailed } from '@lib/errors';

/** Opaque page cursors: base64url JSON, checked on the way back in (a bad one is a 400 naming `cursor`). */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(
  cursor: string | undefined,
  valid: (value: Record<string, unknown>) => value is T,
): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && valid(value as Record<string, unknown>)) return value as T;
  } catch {
    // answered below
  }
  throw new ValidationFailed([{ field: 'cursor', message: 'cursor is not one this list gave out' }]);
}

/** `?limit=` as the gateway validated it (1–100, default 20), checked again here. */
export function pageLimit(query: Record<string, unknown> | undefined): number {
  const raw = query?.limit;
  if (raw === undefined) return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new ValidationFailed([{ field: 'limit', message: 'limit must be an integer from 1 to 100' }]);
  }
  return limit;
}

export function pageCursor(query: Record<string, unknown> | undefined): string | undefined {
  const raw = query?.cursor;
  return typeof raw === 'string' ? raw : undefined;
}
