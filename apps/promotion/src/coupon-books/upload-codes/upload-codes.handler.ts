import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, EVENTS, UploadCouponCodesResultDto, auditTarget } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { UniqueViolation, UnitOfWork } from '@lib/persistence';
import { couponBookNotFound } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';

/**
 * Admin: adds codes to a book, skipping those that exist anywhere (codes are platform-wide) or
 * repeat in the request. The new codes, the book's total and the audit entry commit together; an
 * upload racing another with overlapping codes hits the unique index and is recomputed.
 */
@Injectable()
export class UploadCodesHandler {
  constructor(
    private readonly books: CouponBooksRepository,
    private readonly codes: CouponCodesRepository,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(
    admin: AuthenticatedUser,
    couponBookId: string,
    codes: string[],
  ): Promise<UploadCouponCodesResultDto> {
    if (!(await this.books.findById(couponBookId))) throw couponBookNotFound();
    const unique = [...new Set(codes)];
    for (let attempt = 1; ; attempt++) {
      try {
        const added = await this.uow.run(async () => {
          const existing = await this.codes.existing(unique);
          const fresh = unique.filter((c) => !existing.has(c));
          await this.codes.insertUploaded(couponBookId, fresh);
          if (fresh.length) await this.books.bumpStats(couponBookId, { total: fresh.length });
          await this.outbox.add(EVENTS.auditRecorded, {
            eventId: randomUUID(),
            occurredAt: new Date().toISOString(),
            actorId: admin.userId,
            action: AUDIT_ACTIONS.couponCodesUploaded,
            target: auditTarget('coupon-book', couponBookId),
            details: { received: codes.length, added: fresh.length },
          });
          return fresh.length;
        });
        return { added, duplicates: codes.length - added };
      } catch (err) {
        if (!(err instanceof UniqueViolation) || attempt >= 5) throw err;
      }
    }
  }
}
