import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, EVENTS, GenerationJobAcceptedDto, auditTarget } from '@lib/contracts';
import { fitsComfortably, patternCapacity, patternProblem } from '@lib/coupons';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { couponBookNotFound, patternCapacityExceeded, unusablePattern } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';
import { GenerationJobsRepository } from '../ports/generation-jobs.repository';

/**
 * Admin: queues a bulk generation. The request path only checks capacity and records the job: the
 * job, its `coupon-generation.requested` event and the audit entry commit in one transaction, and
 * the coupon worker does the generating.
 */
@Injectable()
export class RequestGenerationHandler {
  constructor(
    private readonly books: CouponBooksRepository,
    private readonly codes: CouponCodesRepository,
    private readonly jobs: GenerationJobsRepository,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(
    admin: AuthenticatedUser,
    couponBookId: string,
    input: { count: number; pattern?: string },
  ): Promise<GenerationJobAcceptedDto> {
    const book = await this.books.findById(couponBookId);
    if (!book) throw couponBookNotFound();
    const pattern = input.pattern ?? book.codePattern;
    const problem = patternProblem(pattern, book.charset);
    if (problem) throw unusablePattern('pattern', problem);
    await this.assertCapacity(pattern, book.charset, input.count);
    const now = new Date();
    const jobId = randomUUID();
    await this.uow.run(async () => {
      await this.jobs.insert({
        jobId,
        couponBookId,
        status: 'QUEUED',
        requested: input.count,
        generated: 0,
        pattern,
        charset: book.charset,
        createdBy: admin.userId,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        error: null,
      });
      await this.outbox.add(EVENTS.couponGenerationRequested, {
        eventId: jobId,
        occurredAt: now.toISOString(),
        jobId,
        couponBookId,
        count: input.count,
        pattern,
        charset: book.charset,
      });
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        actorId: admin.userId,
        action: AUDIT_ACTIONS.generationJobCreated,
        target: auditTarget('coupon-book', couponBookId),
        details: { jobId, count: input.count, pattern },
      });
    });
    return { jobId, status: 'QUEUED' };
  }

  /**
   * 422 PATTERN_CAPACITY unless `count` new codes fit comfortably beside the codes of the pattern
   * that exist already, in whatever book (codes are unique platform-wide) and only those the
   * pattern can make. Counting them scans the codes that share the pattern's literal prefix, so it
   * is skipped when there are too few codes in all to matter: with the default 8-slot pattern
   * (10^12 codes, no prefix) it never runs.
   */
  private async assertCapacity(pattern: string, charset: string, count: number): Promise<void> {
    const capacity = patternCapacity(pattern, charset);
    if (fitsComfortably(capacity, await this.codes.estimatedTotal(), count)) return;
    const existing = await this.codes.countOfPattern(pattern, charset);
    if (!fitsComfortably(capacity, existing, count)) {
      throw patternCapacityExceeded(capacity, existing, count);
    }
  }
}
