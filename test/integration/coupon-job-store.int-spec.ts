import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import {
  BOOK_STATS_MODEL,
  BookStatsShardDoc,
  CouponCodeDoc,
  COUPON_CODE_MODEL,
  GENERATION_JOB_MODEL,
  GenerationJobDoc,
  SHARED_COUPON_MODELS,
  STATS_SHARDS,
  statsShardId,
} from '@lib/coupons';
import { MongoOutbox, outboxModel } from '@lib/messaging';
import { Metrics } from '@lib/observability';
import { MongoUnitOfWork, SchemaSetup, openMongoConnection } from '@lib/persistence';
import { TestIsolation, testLogger, waitFor } from '@lib/testing';
import { CouponWorkerSettings } from '../../apps/coupon-worker/src/coupon-worker.settings';
import { MongoJobStore } from '../../apps/coupon-worker/src/generation/mongo/mongo-job-store';
import { RunGenerationHandler } from '../../apps/coupon-worker/src/generation/run-generation/run-generation.handler';
import { metricValue } from '../../libs/observability/src/testing/metric-value';

describe('generation jobs in MongoDB: claims, duplicates, resume (real replica set)', () => {
  const iso = new TestIsolation('couponjobs');
  let connection: Connection;
  let jobs: Model<GenerationJobDoc>;
  let store: MongoJobStore;
  // Batches of 100, 2 in flight, a 60 s lease, a 1 s sweep.
  const settings = new CouponWorkerSettings(100, 2, 60_000, 1000);

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    const setup = new SchemaSetup(connection);
    for (const { name, schema } of SHARED_COUPON_MODELS) setup.registerModel(connection.model(name, schema));
    await setup.run();
    jobs = connection.model<GenerationJobDoc>(GENERATION_JOB_MODEL);
    store = new MongoJobStore(
      jobs,
      connection.model<CouponCodeDoc>(COUPON_CODE_MODEL),
      connection.model<BookStatsShardDoc>(BOOK_STATS_MODEL),
      new MongoUnitOfWork(connection),
    );
  });

  afterAll(async () => {
    await connection.close();
    await iso.cleanup();
  });

  async function newJob(requested: number, pattern = 'I########'): Promise<GenerationJobDoc> {
    const couponBookId = randomUUID();
    await connection.collection('coupon_book_stats').insertMany(
      Array.from({ length: STATS_SHARDS }, (_, i) => ({
        _id: statsShardId(couponBookId, i) as never,
        couponBookId,
        total: 0,
        assigned: 0,
        redeemed: 0,
      })),
    );
    const job: GenerationJobDoc = {
      _id: randomUUID(),
      couponBookId,
      status: 'QUEUED',
      requested,
      generated: 0,
      pattern,
      charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
      createdBy: 'admin',
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
      owner: null,
      leaseUntil: null,
      error: null,
    };
    await jobs.collection.insertOne(job as never);
    return job;
  }

  const newRunner = (runnerSettings: CouponWorkerSettings, metrics: Metrics) =>
    new RunGenerationHandler(
      store,
      runnerSettings,
      testLogger(),
      metrics,
      new MongoOutbox(outboxModel(connection)),
      new MongoUnitOfWork(connection),
    );

  const bookTotal = async (couponBookId: string) => {
    const shards = await connection.collection('coupon_book_stats').find({ couponBookId }).toArray();
    return shards.reduce((sum, s) => sum + (s.total as number), 0);
  };

  it('of 10 workers claiming one job at once, exactly one gets it; a live lease keeps it', async () => {
    const job = await newJob(10);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.claim(job._id, `w${i}`, 60_000)),
    );
    const winners = claims.filter((c) => c !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ status: 'RUNNING', owner: expect.stringMatching(/^w\d$/) });
    expect(await store.claim(job._id, 'late', 60_000)).toBeNull();
  });

  it('an expired lease lets another worker take the job over, keeping its startedAt; the old owner is shut out', async () => {
    const job = await newJob(10);
    const first = await store.claim(job._id, 'dead', 1);
    await new Promise((r) => setTimeout(r, 20));
    const second = await store.claim(job._id, 'alive', 60_000);
    expect(second?.owner).toBe('alive');
    expect(second?.startedAt).toEqual(first?.startedAt);
    expect(await store.recordProgress(second!, 'dead', 5, 60_000)).toBe(false);
    expect(await store.recordProgress(second!, 'alive', 5, 60_000)).toBe(true);
    expect((await jobs.collection.findOne({ _id: job._id as never }))?.generated).toBe(5);
    expect(await bookTotal(job.couponBookId)).toBe(5);
  });

  it('keeps the lease through barren batches recorded within the same millisecond', async () => {
    const job = await newJob(10);
    const claimed = await store.claim(job._id, 'owner', 60_000);
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-25T12:00:00Z'));
    try {
      // Nothing changes in the second update ($inc 0, the same leaseUntil): still the owner's lease.
      expect(await store.recordProgress(claimed!, 'owner', 0, 60_000)).toBe(true);
      expect(await store.recordProgress(claimed!, 'owner', 0, 60_000)).toBe(true);
      expect(await store.recordProgress(claimed!, 'someone-else', 0, 60_000)).toBe(false);
    } finally {
      now.mockRestore();
    }
  });

  it('insertCodes inserts the new codes of a batch and skips the ones that exist', async () => {
    const job = await newJob(10);
    const codes = Array.from({ length: 100 }, (_, i) => `DUP-${job._id.slice(0, 8)}-${i}`);
    expect(await store.insertCodes(job, codes.slice(0, 60))).toBe(60);
    expect(await store.insertCodes(job, codes)).toBe(40);
    expect(await store.countInserted(job._id)).toBe(100);
  });

  it('insertCodes counts a big batch of the longest codes exactly, skipping the ones that exist', async () => {
    const job = await newJob(10);
    // 64-character codes (the longest a pattern makes): 50,000 of them weigh over 8 MB.
    const code = (i: number) => `BIG${job._id.slice(0, 8)}${String(i).padStart(53, '0')}`;
    const codes = Array.from({ length: 50_000 }, (_, i) => code(i));
    expect(codes[0]).toHaveLength(64);
    // Some already there, at both ends: skipped, not counted.
    expect(await store.insertCodes(job, [code(7), code(49_999)])).toBe(2);
    expect(await store.insertCodes(job, codes)).toBe(49_998);
    expect(await store.countInserted(job._id)).toBe(50_000);
  });

  it('resumes a job whose worker died between an insert and its progress record: exactly `requested`, no surplus', async () => {
    const job = await newJob(1000);
    const claimed = await store.claim(job._id, 'crashed', 1);
    // The dead worker got 300 codes in but recorded only 200 of them.
    const codes = Array.from({ length: 300 }, (_, i) => `RES${job._id.slice(0, 6)}${i}`);
    expect(await store.insertCodes(claimed!, codes)).toBe(300);
    expect(await store.recordProgress(claimed!, 'crashed', 200, 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));

    const metrics = new Metrics('coupon-worker', false);
    const runner = newRunner(settings, metrics);
    expect(await runner.start(job._id)).toBe(true);
    expect(await metricValue(metrics, 'coupon_generation_jobs_running')).toBe(1);
    const done = await waitFor('the job to complete', async () => {
      const doc = await jobs.collection.findOne({ _id: job._id as never });
      return doc?.status === 'COMPLETED' ? doc : undefined;
    });
    expect(done.generated).toBe(1000);
    expect(done.owner).toBeNull();
    expect(await store.countInserted(job._id)).toBe(1000);
    expect(await bookTotal(job.couponBookId)).toBe(1000);
    await waitFor(
      'the run to end',
      async () => (await metricValue(metrics, 'coupon_generation_jobs_running')) === 0,
    );
    expect(await metricValue(metrics, 'coupon_generation_jobs_total', { outcome: 'completed' })).toBe(1);
    expect(await metricValue(metrics, 'coupon_generation_jobs_total', { outcome: 'failed' })).toBe(0);
    expect(await metricValue(metrics, 'coupon_codes_generated_total')).toBe(700); // the other 300 were the dead worker's
  });

  it('fails a job whose pattern has run out of free codes instead of spinning for ever', async () => {
    // 'Z#' with this charset makes 32 codes; ask for 40 (the HTTP route would refuse this).
    const job = await newJob(40, 'Z#');
    const metrics = new Metrics('coupon-worker', false);
    const runner = newRunner({ ...settings, batchSize: 10 }, metrics);
    expect(await runner.start(job._id)).toBe(true);
    const failed = await waitFor(
      'the job to fail',
      async () => {
        const doc = await jobs.collection.findOne({ _id: job._id as never });
        return doc?.status === 'FAILED' ? doc : undefined;
      },
      30_000,
    );
    expect(failed.error).toMatch(/no free codes/);
    expect(failed.generated).toBe(32);
    expect(await store.countInserted(job._id)).toBe(32);
    expect(await metricValue(metrics, 'coupon_generation_jobs_total', { outcome: 'failed' })).toBe(1);
    expect(await metricValue(metrics, 'coupon_generation_jobs_total', { outcome: 'completed' })).toBe(0);
    expect(await metricValue(metrics, 'coupon_codes_generated_total')).toBe(32);
  });
});
