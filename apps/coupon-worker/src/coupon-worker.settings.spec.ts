import { ConfigError } from '@lib/config';
import { readCouponWorkerSettings } from './coupon-worker.settings';

describe('coupon worker settings', () => {
  it('defaults to 10k-code batches, 2 in flight, a 30 s lease and a 5 s sweep', () => {
    expect(readCouponWorkerSettings({})).toEqual({
      batchSize: 10_000,
      parallelBatches: 2,
      leaseMs: 30_000,
      sweepIntervalMs: 5_000,
    });
  });

  it('reads each setting and names every bad one at once', () => {
    expect(
      readCouponWorkerSettings({
        COUPON_GENERATION_BATCH_SIZE: '500',
        COUPON_GENERATION_PARALLEL_BATCHES: '4',
        COUPON_JOB_LEASE_MS: '2000',
        COUPON_JOB_SWEEP_INTERVAL_MS: '100',
      }),
    ).toEqual({ batchSize: 500, parallelBatches: 4, leaseMs: 2000, sweepIntervalMs: 100 });
    const bad = () =>
      readCouponWorkerSettings({ COUPON_GENERATION_BATCH_SIZE: '5', COUPON_JOB_LEASE_MS: 'x' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/COUPON_GENERATION_BATCH_SIZE[\s\S]*COUPON_JOB_LEASE_MS/);
  });
});
