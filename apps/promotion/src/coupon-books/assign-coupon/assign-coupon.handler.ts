import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AssignedCouponDto, EVENTS } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { assertBookOpen } from '../domain/coupon-book';
import { couponBookNotFound, maxCodesPerUser, noCodesAvailable } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';
import { CouponHoldersRepository } from '../ports/coupon-holders.repository';
import { RecentBooks } from './recent-books';

/**
 * A random unassigned code of the book for the caller. One transaction takes the user's slot
 * (maxCodesPerUser), claims the code, bumps the book's counter and adds `promotion.coupon.assigned`:
 * concurrent callers conflict on the same code or slot, the database retries the loser, and nobody
 * gets a code twice or too many. The book itself comes from RecentBooks (read about once a second),
 * so the transaction's four writes and its commit are the round trips an assignment costs.
 */
@Injectable()
export class AssignCouponHandler {
  constructor(
    private readonly books: RecentBooks,
    private readonly stats: CouponBooksRepository,
    private readonly codes: CouponCodesRepository,
    private readonly holders: CouponHoldersRepository,
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
  ) {}

  async execute(caller: AuthenticatedUser, couponBookId: string): Promise<AssignedCouponDto> {
    const book = await this.books.find(couponBookId);
    if (!book) throw couponBookNotFound();
    const now = new Date();
    assertBookOpen(book, now);
    // Group commit (runShared): under load, concurrent assignments share one transaction and one
    // commit; any refusal or conflict among them runs each again alone, with its own answer.
    const coupon = await this.uow.runShared(async () => {
      // Without a limit there is no slot to take: one write (and one conflict chance) less.
      const limit = book.maxCodesPerUser;
      if (limit !== null && !(await this.holders.takeCodeSlot(couponBookId, caller.userId, limit))) {
        throw maxCodesPerUser(limit);
      }
      const claimed = await this.codes.claimRandom(couponBookId, caller.userId, now);
      if (!claimed) throw noCodesAvailable(couponBookId);
      await this.stats.bumpStats(couponBookId, { assigned: 1 });
      await this.outbox.add(EVENTS.couponAssigned, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        couponBookId,
        code: claimed.code,
        userId: caller.userId,
      });
      return claimed;
    });
    return { code: coupon.code, couponBookId, assignedAt: now.toISOString() };
  }
}
