import { ValidationFailed } from '@lib/errors';

/** The one `limit` rule of every list (docs/api.md, Paging): an integer from 1 to 100, default 20. */
export const PAGE_LIMIT = { min: 1, max: 100, default: 20 } as const;

/** What a list use case receives: a checked limit and the opaque cursor, if any. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/**
 * `?limit=&cursor=` as a service receives it (the gateway has checked it once; this checks it
 * again, since anything can reach a queue). A missing limit is 20; anything else out of the rule
 * is a 400 naming `limit`.
 */
export function readPageRequest(query: { limit?: unknown; cursor?: unknown } | undefined): PageRequest {
  const raw = query?.limit;
  const limit = raw === undefined || raw === null ? PAGE_LIMIT.default : raw;
  if (
    typeof limit !== 'number' ||
    !Number.isInteger(limit) ||
    limit < PAGE_LIMIT.min ||
    limit > PAGE_LIMIT.max
  ) {
    throw new ValidationFailed([
      { field: 'limit', message: `limit must be an integer from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max}` },
    ]);
  }
  const cursor = query?.cursor;
  if (cursor !== undefined && cursor !== null && typeof cursor !== 'string') {
    throw new ValidationFailed([
      { field: 'cursor', message: 'cursor must be a string from a previous page' },
    ]);
  }
  return { limit, cursor: cursor ?? undefined };
}
