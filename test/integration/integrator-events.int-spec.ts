import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { EVENTS } from '@lib/contracts';
import {
  BOOK_STATS_MODEL,
  BookStatsShardDoc,
  COUPON_CODE_MODEL,
  CouponCodeDoc,
  GENERATION_JOB_MODEL,
  GenerationJobDoc,
  SHARED_COUPON_MODELS,
} from '@lib/coupons';
import { MongoOutbox, outboxModel } from '@lib/messaging';
import { Metrics } from '@lib/observability';
import { MongoUnitOfWork, SchemaSetup, openMongoConnection } from '@lib/persistence';
import { TestIsolation, testLogger, waitFor } from '@lib/testing';
import { CouponWorkerSettings } from '../../apps/coupon-worker/src/coupon-worker.settings';
import { MongoJobStore } from '../../apps/coupon-worker/src/generation/mongo/mongo-job-store';
import { RunGenerationHandler } from '../../apps/coupon-worker/src/generation/run-generation/run-generation.handler';
import { metricValue } from '../../libs/observability/src/testing/metric-value';

/**
 * The end of a generation job, as integrators hear of it: the coupon worker's write that finishes
 * the job adds `promotion.generation-job.completed` or `.failed` to the outbox in the same
 * transaction, and only when that write changed the job, so a worker that lost the job to another
 * announces nothing. (A completed job through the whole stack is in
 * test/e2e/integrator-events.e2e-spec.ts.)
 */
describe('coupon worker: generation jobs announce their end once (real replica set)', () => {
  const iso = new TestIsolation('job-events');
  let connection: Connection;
  let jobs: Model<GenerationJobDoc>;
  // Batches of 10, 2 in flight, a 60 s lease, a 1 s sweep.
  const settings = new CouponWorkerSettings(10, 2, 60_000, 1000);

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    const setup = new SchemaSetup(connection);
    for (const { name, schema } of SHARED_COUPON_MODELS) setup.registerModel(connection.model(name, schema));
    setup.registerModel(outboxModel(connection));
    await setup.run();
    jobs = connection.model<GenerationJobDoc>(GENERATION_JOB_MODEL);
  });

  afterAll(async () => {
    await connection.close();
    await iso.cleanup();
  });

  const newStore = () =>
    new MongoJobStore(
      jobs,
      connection.model<CouponCodeDoc>(COUPON_CODE_MODEL),
      connection.model<BookStatsShardDoc>(BOOK_STATS_MODEL),
      new MongoUnitOfWork(connection),
    );
  /** A worker as the app builds it, with its own identity, metrics and (by default) its own store. */
  const newWorker = (store = newStore(), workerSettings = settings) => {
    const metrics = new Metrics('coupon-worker', false);
    const runner = new RunGenerationHandler(
      store,
      workerSettings,
      testLogger(),
      metrics,
      new MongoOutbox(outboxModel(connection)),
      new MongoUnitOfWork(connection),
    );
    return { runner, metrics };
  };

  async function newJob(requested: number, pattern: string): Promise<GenerationJobDoc> {
    const job: GenerationJobDoc = {
      _id: randomUUID(),
      couponBookId: randomUUID(),
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

  /** The job's end events in the outbox, whatever their name. */
  const announced = async (jobId: string) => {
    const records = await connection
      .collection('outbox')
      .find({
        name: { $in: [EVENTS.generationJobCompleted, EVENTS.generationJobFailed] },
        'payload.jobId': jobId,
      })
      .toArray();
    return records.map((r) => ({ name: r.name as string, payload: r.payload as Record<string, unknown> }));
  };
  const jobDoc = (jobId: string) => jobs.collection.findOne({ _id: jobId as never });

  it('a job whose pattern runs out is announced failed once, with what it generated and why', async () => {
    // 'Y#' with this charset makes 32 codes; ask for 40 (the HTTP route would refuse this).
    const job = await newJob(40, 'Y#');
    const { runner, metrics } = newWorker();
    expect(await runner.start(job._id)).toBe(true);
    const failed = await waitFor(
      'the job to fail',
      async () => {
        const doc = await jobDoc(job._id);
        return doc?.status === 'FAILED' ? doc : undefined;
      },
      30_000,
    );

    expect(await announced(job._id)).toEqual([
      {
        name: EVENTS.generationJobFailed,
        payload: {
          eventId: expect.any(String),
          occurredAt: failed.finishedAt!.toISOString(),
          jobId: job._id,
          couponBookId: job.couponBookId,
          status: 'FAILED',
          requested: 40,
          // The event says what the job recorded (how many it found is coupon-job-store's test).
          generated: failed.generated,
          error: 'the pattern has no free codes left',
        },
      },
    ]);
    expect(await metricValue(metrics, 'coupon_generation_jobs_total', { outcome: 'failed' })).toBe(1);
  });

  it('a worker that lost the job just before finishing announces nothing; the one that took it over announces it once', async () => {
    const job = await newJob(100, 'X########');
    // The first worker's lease lapses at once (a long pause, as far as the job can tell).
    const pausedStore = newStore();
    const paused = newWorker(pausedStore, new CouponWorkerSettings(10, 2, 1, 1000));
    const finishing = jest.spyOn(pausedStore, 'finish');
    let reachedFinish!: () => void;
    let resume!: () => void;
    const atFinish = new Promise<void>((r) => (reachedFinish = r));
    const resumed = new Promise<void>((r) => (resume = r));
    finishing.mockImplementationOnce(async (...args) => {
      reachedFinish();
      await resumed;
      return MongoJobStore.prototype.finish.apply(pausedStore, args);
    });
    expect(await paused.runner.start(job._id)).toBe(true);
    await atFinish;

    // Meanwhile another worker takes the job over and finishes it.
    const other = newWorker();
    expect(await other.runner.start(job._id)).toBe(true);
    await waitFor('the other worker to complete the job', async () => !other.runner.isRunning(job._id));
    resume();
    await waitFor('the first worker to give up', async () => !paused.runner.isRunning(job._id));

    // It did try to finish, and its write found the job no longer its own.
    expect(finishing).toHaveBeenCalledWith(job._id, paused.runner.owner, 'COMPLETED', undefined);
    await expect(finishing.mock.results[0].value).resolves.toBeNull();
    expect(await jobDoc(job._id)).toMatchObject({ status: 'COMPLETED', generated: 100, owner: null });
    expect(await announced(job._id)).toEqual([
      {
        name: EVENTS.generationJobCompleted,
        payload: expect.objectContaining({
          status: 'COMPLETED',
          requested: 100,
          generated: 100,
          error: null,
        }),
      },
    ]);
    const completed = (metrics: Metrics) =>
      metricValue(metrics, 'coupon_generation_jobs_total', { outcome: 'completed' });
    expect([await completed(paused.metrics), await completed(other.metrics)]).toEqual([0, 1]);
  });
});
