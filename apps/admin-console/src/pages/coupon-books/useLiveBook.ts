import { useApi, useResource } from '../../api/context';
import type { Resource } from '../../api/context';
import type { CouponBook } from '../../api/types';

/** Live figures every 2 s while a job of the book runs; still otherwise. */
export const LIVE_MS = 2000;

/**
 * One book, polled every LIVE_MS while `live`. The page holds it, so the open book and its row
 * in the list render the very same answer in the same commit: they never disagree on screen.
 * No `bookId`, no request.
 */
export function useLiveBook(bookId: string | undefined, live: boolean): Resource<CouponBook | undefined> {
  const api = useApi();
  return useResource(
    () =>
      bookId
        ? api.get<CouponBook>(`/v1/admin/coupon-books/${encodeURIComponent(bookId)}`)
        : Promise.resolve(undefined),
    bookId ?? '',
    bookId && live ? LIVE_MS : undefined,
  );
}
