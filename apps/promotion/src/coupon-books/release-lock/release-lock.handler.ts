import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@lib/jwt';
import { parseLockToken } from '../domain/coupon';
import { couponNotFound } from '../domain/coupon-books.errors';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';
import { CouponLocks } from '../ports/coupon-locks';

/**
 * Releases a lock early (checkout abandoned). Compare-and-delete: only the token's own lock goes,
 * never a lock someone else took after it expired. Releasing a lock that is already gone is fine.
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
    if (!parsed) return;
    if (await this.locks.release(code, parsed.token)) {
      await this.codes.clearLock(code, parsed.fence, new Date());
    }
  }
}
