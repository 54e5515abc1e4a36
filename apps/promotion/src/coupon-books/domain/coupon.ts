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
  if (coupon.lockedUntil && coupon.lockedUntil > now) return 'LOCKED';
  return 'ASSIGNED';
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
