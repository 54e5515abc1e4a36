import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, CouponBookDto, CreateCouponBookDto, EVENTS, auditTarget } from '@lib/contracts';
import { DEFAULT_CHARSET, DEFAULT_PATTERN, patternProblem } from '@lib/coupons';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { CouponBook, validateBookDates } from '../domain/coupon-book';
import { unusablePattern } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { toBookDto } from '../queries/coupon-books.views';

/** Admin: a new coupon book with zeroed counters, and its audit entry, in one unit of work. */
@Injectable()
export class CreateCouponBookHandler {
  constructor(
    private readonly books: CouponBooksRepository,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(admin: AuthenticatedUser, input: CreateCouponBookDto): Promise<CouponBookDto> {
    const codePattern = input.codePattern ?? DEFAULT_PATTERN;
    const charset = input.charset ?? DEFAULT_CHARSET;
    const problem = patternProblem(codePattern, charset);
    if (problem) throw unusablePattern(problem.startsWith('charset') ? 'charset' : 'codePattern', problem);
    const startsAt = input.startsAt ? new Date(input.startsAt) : null;
    const endsAt = input.endsAt ? new Date(input.endsAt) : null;
    validateBookDates(startsAt, endsAt);
    const now = new Date();
    const book: CouponBook = {
      couponBookId: randomUUID(),
      name: input.name,
      description: input.description ?? null,
      startsAt,
      endsAt,
      maxCodesPerUser: input.maxCodesPerUser ?? null,
      maxRedemptionsPerUser: input.maxRedemptionsPerUser ?? null,
      allowMultipleRedemptions: input.allowMultipleRedemptions ?? false,
      codePattern,
      charset,
      active: input.active ?? true,
      createdBy: admin.userId,
      createdAt: now,
    };
    await this.uow.run(async () => {
      await this.books.insert(book);
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        actorId: admin.userId,
        action: AUDIT_ACTIONS.couponBookCreated,
        target: auditTarget('coupon-book', book.couponBookId),
        details: { name: book.name, codePattern, charset },
      });
    });
    return toBookDto(book, { total: 0, assigned: 0, redeemed: 0 });
  }
}
