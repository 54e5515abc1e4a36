import { couponStatus, formatLockToken, lockIsLive, parseLockToken, type Coupon } from './coupon';

const coupon = (over: Partial<Coupon> = {}): Coupon => ({
  code: 'ABCD1234',
  couponBookId: 'b1',
  assignedTo: 'u1',
  assignedAt: new Date('2026-01-01T00:00:00Z'),
  redemptionCount: 0,
  lockFence: null,
  lockedUntil: null,
  ...over,
});

describe('coupon', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  it('is REDEEMED once redeemed, LOCKED while a lock runs, else ASSIGNED', () => {
    expect(couponStatus(coupon(), now)).toBe('ASSIGNED');
    expect(couponStatus(coupon({ lockedUntil: new Date(now.getTime() + 1000) }), now)).toBe('LOCKED');
    expect(couponStatus(coupon({ lockedUntil: new Date(now.getTime() - 1) }), now)).toBe('ASSIGNED');
    expect(couponStatus(coupon({ redemptionCount: 1, lockedUntil: new Date(now.getTime() + 1) }), now)).toBe(
      'REDEEMED',
    );
  });

  it('a lock is live until its lockedUntil, redeemed code or not (books that allow several redemptions)', () => {
    const later = new Date(now.getTime() + 1000);
    expect(lockIsLive(coupon(), now)).toBe(false);
    expect(lockIsLive(coupon({ lockedUntil: later }), now)).toBe(true);
    expect(lockIsLive(coupon({ lockedUntil: now }), now)).toBe(false);
    expect(lockIsLive(coupon({ redemptionCount: 1, lockedUntil: later }), now)).toBe(true);
  });

  it('round-trips a lock token and rejects malformed ones', () => {
    const token = formatLockToken(42, 'a'.repeat(22));
    expect(parseLockToken(token)).toEqual({ fence: 42, token: 'a'.repeat(22) });
    for (const bad of ['', '42', '.abc', 'x.aaaaaaaaaaaaaaaaaaaa', '42.short', `42.${'a'.repeat(22)}!`]) {
      expect(parseLockToken(bad)).toBeNull();
    }
  });
});
