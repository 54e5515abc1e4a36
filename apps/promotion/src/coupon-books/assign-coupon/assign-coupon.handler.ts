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
 * A random unassigned code of the book for the caller. One transaction claims the code, takes the
 * user's slot (maxCodesPerUser), bumps the book's counter and adds `promotion.coupon.assigned`:
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
    const limit = book.maxCodesPerUser;
    let coupon: { code: string };
    try {
      coupon = await this.uow.runShared(async () => {
        const claimed = await this.codes.claimRandom(couponBookId, caller.userId, now);
        if (!claimed) {
          // A member at the limit hears that first, as when the slot was taken before the claim.
          if (limit !== null && (await this.holders.codesHeld(couponBookId, caller.userId)) >= limit) {
            throw maxCodesPerUser(limit);
          }
          throw noCodesAvailable(couponBookId);
        }
        // The member's slot is taken at commit, in one write with the other units' (none without a
        // limit); a member at the limit fails the commit, and the claim above with it.
        if (limit !== null) await this.holders.takeCodeSlotAtCommit(couponBookId, caller.userId, limit);
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
    } catch (err) {
      if (limit !== null && this.holders.isSlotRefusal(err)) throw maxCodesPerUser(limit);
      throw err;
    }
    return { code: coupon.code, couponBookId, assignedAt: now.toISOString() };
  }
}
