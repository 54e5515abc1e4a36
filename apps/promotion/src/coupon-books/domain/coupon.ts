export type CouponStatus = 'ASSIGNED' | 'LOCKED' | 'REDEEMED';

/** A code as its holder sees it. */
export interface Coupon {
  code: string;
  couponBookId: string;
  assignedTo: string | null;
  assignedAt: Date | null;
  redemptionCount: number;
  lockFence: number | null;
  lockedUntil: Date | null;
}

export function couponStatus(coupon: Coupon, now: Date): CouponStatus {
  if (coupon.redemptionCount > 0) return 'REDEEMED';
  if (lockIsLive(coupon, now)) return 'LOCKED';
  return 'ASSIGNED';
}

/** A lock was granted on the code and has not run out, been released or been used to redeem. */
export function lockIsLive(coupon: Coupon, now: Date): boolean {
  return coupon.lockedUntil !== null && coupon.lockedUntil > now;
}

/**
 * The lock token a client holds: `<fence>.<random token>`. The fence is the Redis lock's fencing
 * counter; the database refuses a redemption under any fence but the newest lock's.
 */
export function formatLockToken(fence: number, token: string): string {
  return `${fence}.${token}`;
}

export function parseLockToken(lockToken: string): { fence: number; token: string } | null {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{16,64})$/.exec(lockToken);
  return match ? { fence: Number(match[1]), token: match[2] } : null;
}
