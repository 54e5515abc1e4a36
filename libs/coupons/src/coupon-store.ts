/**
 * What promotion (books, assignment, redemption) and the coupon worker (generation) both touch:
 * the collections of coupon codes, generation jobs and book counters, and their document shapes.
 * Apps can't import each other, so the shared storage contract lives here.
 */
export const COUPON_COLLECTIONS = {
  codes: 'coupon_codes',
  jobs: 'coupon_generation_jobs',
  bookStats: 'coupon_book_stats',
} as const;

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** One coupon code. `_id` is the code itself: codes are unique platform-wide (they are URLs). */
export interface CouponCodeDoc {
  _id: string;
  couponBookId: string;
  /** Random 31-bit rank: the assignment index is (couponBookId, assignedTo, rank). */
  rank: number;
  assignedTo: string | null;
  assignedAt?: Date | null;
  /** The generation job that made it; absent for uploaded codes. Lets a resumed job recount. */
  jobId?: string;
  redemptionCount?: number;
  lastRedeemedAt?: Date | null;
  /** Fencing token of the newest lock granted on the code, and until when that lock runs. */
  lockFence?: number;
  lockedUntil?: Date | null;
  /** Fence of the lock that redeemed last: one lock redeems at most once. */
  redeemedFence?: number;
}

export interface GenerationJobDoc {
  _id: string;
  couponBookId: string;
  status: JobStatus;
  requested: number;
  generated: number;
  pattern: string;
  charset: string;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The worker that holds the job and until when; another may take it over once this passes. */
  owner: string | null;
  leaseUntil: Date | null;
  error: string | null;
}

/**
 * A book's counters, split over STATS_SHARDS documents: every assignment or redemption bumps one
 * shard, so concurrent transactions rarely write the same document (a single counter document
 * would make every assignment in a book conflict with every other). Reads sum the shards.
 */
export interface BookStatsShardDoc {
  _id: string;
  couponBookId: string;
  total: number;
  assigned: number;
  redeemed: number;
}

// 128: reads sum 128 small documents through an index.
export const STATS_SHARDS = 128;
export const statsShardId = (couponBookId: string, shard: number) => `${couponBookId}#${shard}`;

// Where this process's next bump goes: from a random start, then round the shards in turn.
let nextShard = Math.floor(Math.random() * STATS_SHARDS);
/**
 * The shard for this process's next bump. In turn rather than at random: a process's own
 * transactions then meet on a shard only when more than STATS_SHARDS of them overlap, where at
 * random, at 32 concurrent, about one in five met another on its shard and was retried whole.
 * Replicas start at random places, so they meet about as often as at random.
 */
export const nextStatsShard = (couponBookId: string) => {
  nextShard = (nextShard + 1) % STATS_SHARDS;
  return statsShardId(couponBookId, nextShard);
};
