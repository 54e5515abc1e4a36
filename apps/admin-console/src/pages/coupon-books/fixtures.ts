// Test data only.
import type { CouponBook, GenerationJob } from '../../api/types';

export function book(name: string, over: Partial<CouponBook> = {}): CouponBook {
  return {
    couponBookId: `book-${name}`,
    name,
    description: null,
    startsAt: null,
    endsAt: null,
    maxCodesPerUser: null,
    maxRedemptionsPerUser: null,
    allowMultipleRedemptions: false,
    codePattern: '########',
    charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
    active: true,
    status: 'ACTIVE',
    createdAt: '2026-01-01T00:00:00.000Z',
    stats: { total: 0, assigned: 0, redeemed: 0 },
    ...over,
  };
}

export function job(over: Partial<GenerationJob> = {}): GenerationJob {
  return {
    jobId: 'job-1',
    couponBookId: 'book-B',
    couponBookName: 'B',
    status: 'QUEUED',
    requested: 1000,
    generated: 0,
    pattern: '########',
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    codesPerSecond: 0,
    error: null,
    ...over,
  };
}
