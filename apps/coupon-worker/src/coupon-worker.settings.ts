import { EnvReader } from '@lib/config';

/** The coupon worker's own settings, on top of PlatformConfig. Read once at boot. */
export class CouponWorkerSettings {
  constructor(
    /** Codes per unordered insertMany: big enough to amortize round trips, small enough for steady progress. */
    readonly batchSize: number,
    /** Batches in flight at once, so generating the next batch overlaps inserting the last. */
    readonly parallelBatches: number,
    /** How long a claimed job stays ours without progress; after that another worker resumes it. */
    readonly leaseMs: number,
    /** How often to look for jobs whose worker died (or whose event was lost) and resume them. */
    readonly sweepIntervalMs: number,
  ) {}
}

export function readCouponWorkerSettings(env: NodeJS.ProcessEnv = process.env): CouponWorkerSettings {
  const reader = new EnvReader(env);
  const settings = new CouponWorkerSettings(
    reader.int('COUPON_GENERATION_BATCH_SIZE', 10_000, 100, 100_000),
    reader.int('COUPON_GENERATION_PARALLEL_BATCHES', 2, 1, 8),
    reader.int('COUPON_JOB_LEASE_MS', 30_000, 500, 600_000),
    reader.int('COUPON_JOB_SWEEP_INTERVAL_MS', 5_000, 100, 600_000),
  );
  reader.finish('coupon-worker');
  return settings;
}
