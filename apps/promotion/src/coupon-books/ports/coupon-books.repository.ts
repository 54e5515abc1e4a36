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
  /** How many books there are in all. */
  abstract count(): Promise<number>;
  /** The names of the books, by id (books that don't exist are left out). */
  abstract names(couponBookIds: string[]): Promise<Map<string, string>>;
  /** Switches a book on or off; the book as it is now, or null when there is no such book. */
  abstract setActive(couponBookId: string, active: boolean): Promise<CouponBook | null>;
  /** Live counters summed from the shards: the one source of every view's stats. */
  abstract stats(couponBookIds: string[]): Promise<Map<string, CouponBookStats>>;
  /** Adds to the counters (in the caller's unit of work). */
  abstract bumpStats(couponBookId: string, delta: Partial<CouponBookStats>): Promise<void>;
}
