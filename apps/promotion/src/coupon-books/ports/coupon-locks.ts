/** A lock held on one code: its token (kept secret by the holder), fencing number and expiry. */
export interface HeldCouponLock {
  token: string;
  /** Increases with every lock taken on the code: the database refuses any fence but the newest. */
  fence: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Checkout locks on codes, outside the database. Every failure of the lock service itself is
 * LOCK_SERVICE_UNAVAILABLE: without it nobody can prove they hold a lock, so nothing is redeemed.
 */
export abstract class CouponLocks {
  /** A new lock for `ttlMs`, or null when someone holds one. */
  abstract acquire(code: string, ttlMs: number): Promise<HeldCouponLock | null>;
  /** Frees the lock only if `token` holds it; true when it did. */
  abstract release(code: string, token: string): Promise<boolean>;
  /** Milliseconds left when `token` holds the code's lock, else null. */
  abstract remaining(code: string, token: string): Promise<number | null>;
}
