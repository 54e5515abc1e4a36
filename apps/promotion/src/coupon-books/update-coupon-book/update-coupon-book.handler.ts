import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AUDIT_ACTIONS,
  CouponBookDto,
  EVENTS,
  UpdateCouponBookDto,
  auditTarget,
  type CouponBookStatus,
} from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { RecentBooks } from '../assign-coupon/recent-books';
import type { CouponBook } from '../domain/coupon-book';
import { couponBookNotFound } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { CouponBooksQueries } from '../queries/coupon-books.queries';

const statusOf = (book: CouponBook): CouponBookStatus => (book.active ? 'ACTIVE' : 'INACTIVE');

/**
 * Admin: switches a book off (it then hands out, locks and redeems nothing: 410
 * COUPON_BOOK_INACTIVE) or on again. The change and its audit entry, with the statuses before and
 * after, commit together.
 */
@Injectable()
export class UpdateCouponBookHandler {
  constructor(
    private readonly books: CouponBooksRepository,
    private readonly queries: CouponBooksQueries,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
    private readonly recentBooks: RecentBooks,
  ) {}

  async execute(
    admin: AuthenticatedUser,
    couponBookId: string,
    input: UpdateCouponBookDto,
  ): Promise<CouponBookDto> {
    const updated = await this.uow.run(async () => {
      const before = await this.books.findById(couponBookId);
      if (!before) throw couponBookNotFound();
      const after = await this.books.setActive(couponBookId, input.status === 'ACTIVE');
      if (!after) throw couponBookNotFound();
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: new Date().toISOString(),
        actorId: admin.userId,
        action: AUDIT_ACTIONS.couponBookUpdated,
        target: auditTarget('coupon-book', couponBookId),
        details: {
          name: after.name,
          before: { status: statusOf(before) },
          after: { status: statusOf(after) },
        },
      });
      return after;
    });
    // Assignments on this process see the switch at once (other replicas within RECENT_BOOK_MS).
    this.recentBooks.forget(couponBookId);
    return (await this.queries.withStats([updated]))[0];
  }
}
