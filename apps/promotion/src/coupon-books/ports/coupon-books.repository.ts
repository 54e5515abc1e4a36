import type { Page } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import type { CouponBook, CouponBookStats } from '../domain/coupon-book';

/** Coupon books and their live counters. */
export abstract class CouponBooksRepository {
  /** Inserts the book with zeroed counters. */
  abstract insert(book: CouponBook): Promise<void>;
  abstract findById(couponBookId: string): Promise<CouponBook | null>;
  /** Newest first; a cursor this list did not give out is a 400 naming `cursor`. */
  abstract list(page: PageRequest): Promise<Page<CouponBook>>;
  abstract stats(couponBookIds: string[]): Promise<Map<string, CouponBookStats>>;
  /** Adds to the counters (in the caller's unit of work). */
  abstract bumpStats(couponBookId: string, delta: Partial<CouponBookStats>): Promise<void>;
}
