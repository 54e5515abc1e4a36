import { Injectable } from '@nestjs/common';
import { CouponLockDto, LOCK_DEFAULT_SECONDS } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { formatLockToken } from '../domain/coupon';
import { assertBookOpen } from '../domain/coupon-book';
import { couponAlreadyRedeemed, couponLocked, couponNotFound } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';
import { CouponHoldersRepository } from '../ports/coupon-holders.repository';
import { CouponLocks } from '../ports/coupon-locks';

/**
 * Locks a code for checkout: SET NX PX with a random token in Redis, which also hands out the
 * fencing token; the fence is then recorded on the code, so only the newest lock can redeem. A
 * refused attempt touches nothing: it never releases the holder's lock.
 */
@Injectable()
export class LockCouponHandler {
  constructor(
    private readonly books: CouponBooksRepository,
    private readonly codes: CouponCodesRepository,
    private readonly holders: CouponHoldersRepository,
    private readonly locks: CouponLocks,
  ) {}

  async execute(
    caller: AuthenticatedUser,
    code: string,
    seconds = LOCK_DEFAULT_SECONDS,
  ): Promise<CouponLockDto> {
    const coupon = await this.codes.find(code);
    if (!coupon || coupon.assignedTo !== caller.userId) throw couponNotFound();
    const book = await this.books.findById(coupon.couponBookId);
    if (!book) throw couponNotFound();
    assertBookOpen(book, new Date());
    if (!book.allowMultipleRedemptions && coupon.redemptionCount > 0) throw couponAlreadyRedeemed();
    if (
      book.maxRedemptionsPerUser !== null &&
      (await this.holders.redemptions(book.couponBookId, caller.userId)) >= book.maxRedemptionsPerUser
    ) {
      throw couponAlreadyRedeemed(book.maxRedemptionsPerUser);
    }

    const held = await this.locks.acquire(code, seconds * 1000);
    if (!held) throw couponLocked();
    const lockedUntil = new Date(held.expiresAt);
    try {
      await this.codes.recordLock(code, held.fence, lockedUntil);
    } catch (err) {
      await this.locks.release(code, held.token).catch(() => undefined);
      throw err;
    }
    return {
      code,
      lockToken: formatLockToken(held.fence, held.token),
      lockedUntil: lockedUntil.toISOString(),
    };
  }
}
