import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@lib/jwt';
import { lockIsLive, parseLockToken } from '../domain/coupon';
import { couponNotFound, lockHeldUnderAnotherToken } from '../domain/coupon-books.errors';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';
import { CouponLocks } from '../ports/coupon-locks';

/**
 * Releases a lock early (checkout abandoned). Compare-and-delete: only the token's own lock goes,
 * never a lock someone else took after it expired. Releasing when no lock is live (it expired, was
 * released or was used by a redemption) is fine, whatever the token: the caller wanted no lock and
 * there is none. A token that doesn't hold the live lock is 409 LOCK_REQUIRED, as at redeem, so a
 * client never believes it released a lock that still stands.
 */
@Injectable()
export class ReleaseLockHandler {
  constructor(
    private readonly codes: CouponCodesRepository,
    private readonly locks: CouponLocks,
  ) {}

  async execute(caller: AuthenticatedUser, code: string, lockToken: string): Promise<void> {
    const coupon = await this.codes.find(code);
    if (!coupon || coupon.assignedTo !== caller.userId) throw couponNotFound();
    const parsed = parseLockToken(lockToken);
    // A token holds the lock with both halves: the code's newest fence and the secret Redis keeps.
    if (parsed && parsed.fence === coupon.lockFence && (await this.locks.release(code, parsed.token))) {
      await this.codes.clearLock(code, parsed.fence, new Date());
      return;
    }
    // Not this token's lock: is another one live? The code records each lock it grants until its
    // expiry (and a release or redemption ends it there), read afresh after the release attempt.
    const current = await this.codes.find(code);
    if (current && lockIsLive(current, new Date())) throw lockHeldUnderAnotherToken();
  }
}
