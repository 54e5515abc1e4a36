import type { Coupon } from '../domain/coupon';

export interface RedemptionEntry {
  transactionId: string;
  code: string;
  couponBookId: string;
  userId: string;
  orderId: string | null;
  fence: number;
  redeemedAt: Date;
}

/** Coupon codes: upload, random assignment, locks as the database sees them, redemptions. */
export abstract class CouponCodesRepository {
  /** Which of `codes` exist already (in any book). */
  abstract existing(codes: string[]): Promise<Set<string>>;
  /**
   * How many codes, in any book, the pattern can make with the charset (codes of other shapes
   * don't count). Costs a scan of the codes that start with the pattern's literal prefix.
   */
  abstract countOfPattern(pattern: string, charset: string): Promise<number>;
  /** How many codes exist in all books, from the store's metadata: no scan. */
  abstract estimatedTotal(): Promise<number>;
  /** Inserts new, unassigned codes into a book. */
  abstract insertUploaded(couponBookId: string, codes: string[]): Promise<void>;
  /** Claims one random unassigned code of the book for the user, or null when none is left. */
  abstract claimRandom(couponBookId: string, userId: string, now: Date): Promise<Coupon | null>;
  abstract find(code: string): Promise<Coupon | null>;
  /** Up to `limit` of the book's codes after `after`, in code order (the export's keyset pages). */
  abstract pageOfBook(couponBookId: string, after: string | null, limit: number): Promise<Coupon[]>;
  abstract listAssignedTo(userId: string, limit: number): Promise<Coupon[]>;
  /** Records a newly granted lock; false when a newer lock was recorded already. */
  abstract recordLock(code: string, fence: number, lockedUntil: Date): Promise<boolean>;
  abstract clearLock(code: string, fence: number, now: Date): Promise<void>;
  /**
   * Counts one redemption under the lock with `fence`, only if that lock is the code's newest,
   * still running and not used before (and, for single-use codes, if the code is unredeemed).
   * Returns the code as it was before, or null when refused.
   */
  abstract redeem(
    code: string,
    userId: string,
    fence: number,
    now: Date,
    singleUse: boolean,
  ): Promise<Coupon | null>;
  abstract recordRedemption(entry: RedemptionEntry): Promise<void>;
}
