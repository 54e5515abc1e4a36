import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CouponRedemptionDto, EVENTS } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { TransactionScope, UnitOfWork } from '@lib/persistence';
import { parseLockToken } from '../domain/coupon';
import { assertBookOpen } from '../domain/coupon-book';
import { couponAlreadyRedeemed, couponNotFound, lockRequired } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';
import { CouponHoldersRepository } from '../ports/coupon-holders.repository';
import { CouponLocks } from '../ports/coupon-locks';

/**
 * Redeems a locked code. Inside one transaction: the lock token is checked in Redis (compare
 * script), the code is updated only if the lock's fence is the newest recorded, still running and
 * unused, the user's redemption slot is taken, and the log entry is written with its
 * `promotion.coupon.redeemed` event. An expired lock, a lock taken over by someone else, or a
 * second use of one lock cannot redeem; when Redis is down, nothing is.
 */
@Injectable()
export class RedeemCouponHandler {
  constructor(
    private readonly books: CouponBooksRepository,
    private readonly codes: CouponCodesRepository,
    private readonly holders: CouponHoldersRepository,
    private readonly locks: CouponLocks,
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
  ) {}

  async execute(
    caller: AuthenticatedUser,
    code: string,
    input: { lockToken: string; orderId?: string },
  ): Promise<CouponRedemptionDto> {
    const coupon = await this.codes.find(code);
    if (!coupon || coupon.assignedTo !== caller.userId) throw couponNotFound();
    const book = await this.books.findById(coupon.couponBookId);
    if (!book) throw couponNotFound();
    const lock = parseLockToken(input.lockToken);
    if (!lock) throw lockRequired('the lock token is not valid');
    const singleUse = !book.allowMultipleRedemptions;
    const transactionId = randomUUID();

    const redeemedAt = await this.uow.run(async () => {
      const now = new Date();
      assertBookOpen(book, now);
      if ((await this.locks.remaining(code, lock.token)) === null) {
        const current = await this.codes.find(code);
        if (singleUse && current && current.redemptionCount > 0) throw couponAlreadyRedeemed();
        throw lockRequired('no lock is held with this token (expired, released or never taken)');
      }
      const before = await this.codes.redeem(code, caller.userId, lock.fence, now, singleUse);
      if (!before) {
        const current = await this.codes.find(code);
        if (singleUse && current && current.redemptionCount > 0) throw couponAlreadyRedeemed();
        throw lockRequired('the lock is not the newest, has expired, or was used already');
      }
      if (
        !(await this.holders.takeRedemptionSlot(book.couponBookId, caller.userId, book.maxRedemptionsPerUser))
      ) {
        throw couponAlreadyRedeemed(book.maxRedemptionsPerUser);
      }
      await this.codes.recordRedemption({
        transactionId,
        code,
        couponBookId: book.couponBookId,
        userId: caller.userId,
        orderId: input.orderId ?? null,
        fence: lock.fence,
        redeemedAt: now,
      });
      await this.outbox.add(EVENTS.couponRedeemed, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        couponBookId: book.couponBookId,
        code,
        userId: caller.userId,
        transactionId,
        orderId: input.orderId ?? null,
      });
      if (before.redemptionCount === 0) await this.books.bumpStats(book.couponBookId, { redeemed: 1 });
      // The lock has done its job: free the code once the redemption is durable.
      TransactionScope.afterCommit(() => void this.locks.release(code, lock.token).catch(() => undefined));
      return now;
    });
    return { code, redeemedAt: redeemedAt.toISOString(), transactionId, orderId: input.orderId ?? null };
  }
}
