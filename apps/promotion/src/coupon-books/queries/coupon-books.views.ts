import type {
  CouponBookDto,
  ExportedCouponCodeDto,
  GenerationJobDto,
  MyCouponDto,
  RunningJobStatDto,
} from '@lib/contracts';
import type { Coupon } from '../domain/coupon';
import { couponStatus } from '../domain/coupon';
import type { CouponBook, CouponBookStats } from '../domain/coupon-book';
import type { GenerationJob } from '../ports/generation-jobs.repository';

// How books, jobs and a member's codes look on the wire.

export function toBookDto(book: CouponBook, stats: CouponBookStats): CouponBookDto {
  return {
    couponBookId: book.couponBookId,
    name: book.name,
    description: book.description,
    startsAt: book.startsAt?.toISOString() ?? null,
    endsAt: book.endsAt?.toISOString() ?? null,
    maxCodesPerUser: book.maxCodesPerUser,
    maxRedemptionsPerUser: book.maxRedemptionsPerUser,
    allowMultipleRedemptions: book.allowMultipleRedemptions,
    codePattern: book.codePattern,
    charset: book.charset,
    active: book.active,
    status: book.active ? 'ACTIVE' : 'INACTIVE',
    createdAt: book.createdAt.toISOString(),
    stats,
  };
}

/** Rate over the job's running time so far (or its whole run once finished). */
export function codesPerSecond(job: GenerationJob, now = new Date()): number {
  if (!job.startedAt) return 0;
  const seconds = ((job.finishedAt ?? now).getTime() - job.startedAt.getTime()) / 1000;
  return seconds > 0 ? Math.round(job.generated / seconds) : job.generated;
}

export function toJobDto(job: GenerationJob, couponBookName: string): GenerationJobDto {
  return {
    jobId: job.jobId,
    couponBookId: job.couponBookId,
    couponBookName,
    status: job.status,
    requested: job.requested,
    generated: job.generated,
    pattern: job.pattern,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    codesPerSecond: codesPerSecond(job),
    error: job.error,
  };
}

export const toRunningJobStat = (job: GenerationJob, couponBookName: string): RunningJobStatDto => ({
  jobId: job.jobId,
  couponBookId: job.couponBookId,
  couponBookName,
  status: job.status === 'QUEUED' ? 'QUEUED' : 'RUNNING',
  requested: job.requested,
  generated: job.generated,
});

export function toMyCoupon(coupon: Coupon, now: Date): MyCouponDto {
  return {
    code: coupon.code,
    couponBookId: coupon.couponBookId,
    assignedAt: (coupon.assignedAt ?? now).toISOString(),
    redemptionCount: coupon.redemptionCount,
    status: couponStatus(coupon, now),
  };
}

/** A row of the codes export: AVAILABLE until the code is handed out. */
export function toExportedCode(coupon: Coupon, now: Date): ExportedCouponCodeDto {
  return {
    code: coupon.code,
    status: coupon.assignedTo === null ? 'AVAILABLE' : couponStatus(coupon, now),
    assignedTo: coupon.assignedTo,
    assignedAt: coupon.assignedAt?.toISOString() ?? null,
    redemptionCount: coupon.redemptionCount,
  };
}
