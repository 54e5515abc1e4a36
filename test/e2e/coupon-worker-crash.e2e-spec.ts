import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import mongoose from 'mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIsolation, waitFor } from '@lib/testing';
import { GENERATION_CONSUMER } from '../../apps/coupon-worker/src/generation/run-generation/run-generation.consumer';
import { createBook, waitForJob } from '../support/coupons-client';
import { ADMIN_ENV, admin } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack, startService } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
/** Short leases and sweeps, so a dead worker's job is picked up within a couple of seconds. */
const WORKER_ENV = {
  COUPON_GENERATION_BATCH_SIZE: '1000',
  COUPON_JOB_LEASE_MS: '1500',
  COUPON_JOB_SWEEP_INTERVAL_MS: '200',
};

describe('the coupon worker dies mid-job (SIGKILL) and the job resumes to exactly `count`', () => {
  const iso = new TestIsolation('couponcrash');
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let child: ChildProcess | undefined;
  let childOutput = '';
  const workers: NestFastifyApplication[] = [];

  beforeAll(async () => {
    iso.queue(GENERATION_CONSUMER);
    stack = await startPlatformStack(iso, { services: ['promotion'], authEnv: ADMIN_ENV });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    for (const w of workers) await w.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  /** The real worker (main.ts) in a child process of its own, so it can be killed outright. */
  function spawnWorker(): ChildProcess {
    const proc = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/coupon-worker/src/main.ts',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ...WORKER_ENV,
          PORT: '0',
          MONGODB_DB: serviceDatabase(iso, 'promotion'),
          NAME_PREFIX: iso.namePrefix,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    proc.stdout?.on('data', (d: Buffer) => (childOutput += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (childOutput += d.toString()));
    return proc;
  }

  it('a killed worker leaves a RUNNING job; another worker resumes it with no duplicates and no surplus', async () => {
    const http = () => stack.http();
    const chief = (await admin(http)).auth;
    const count = 100_000;
    const b = await createBook(http, chief, { codePattern: 'K##########' });

    child = spawnWorker();
    const res = await http()
      .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
      .set(chief)
      .send({ count })
      .expect(202);
    const jobId = res.body.jobId as string;
    const jobs = db.collection('coupon_generation_jobs');
    const running = await waitFor(
      'the child worker to be part-way through the job',
      async () => {
        const job = await jobs.findOne({ _id: jobId as never });
        return job && job.status === 'RUNNING' && job.generated >= 5000 ? job : undefined;
      },
      90_000,
      20,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nworker output:\n${childOutput.slice(-3000)}`);
    });

    const proc = child;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
    child = undefined;
    const atDeath = await jobs.findOne({ _id: jobId as never });
    expect(atDeath?.status).toBe('RUNNING');
    expect(atDeath?.generated).toBeLessThan(count);

    workers.push(await startService(iso, 'coupon-worker', WORKER_ENV));
    const done = await waitForJob(http, chief, jobId, 120_000);

    expect(done).toMatchObject({ status: 'COMPLETED', requested: count, generated: count });
    expect(done.startedAt).toBe(running.startedAt.toISOString());
    const codes = db.collection('coupon_codes');
    expect(await codes.countDocuments({ jobId })).toBe(count);
    expect(await codes.countDocuments({ couponBookId: b.couponBookId })).toBe(count);
    const book = await http().get(`/v1/admin/coupon-books/${b.couponBookId}`).set(chief).expect(200);
    expect(book.body.stats.total).toBe(count);
  }, 240000);

  it('with two workers running, each of several jobs is generated once, to exactly its count', async () => {
    const http = () => stack.http();
    const chief = (await admin(http)).auth;
    workers.push(await startService(iso, 'coupon-worker', WORKER_ENV));
    const b = await createBook(http, chief);
    const counts = [7000, 5000, 9000, 3000];
    const ids: string[] = [];
    for (const count of counts) {
      const res = await http()
        .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
        .set(chief)
        .send({ count })
        .expect(202);
      ids.push(res.body.jobId);
    }
    for (const [i, id] of ids.entries()) {
      expect(await waitForJob(http, chief, id)).toMatchObject({ status: 'COMPLETED', generated: counts[i] });
      expect(await db.collection('coupon_codes').countDocuments({ jobId: id })).toBe(counts[i]);
    }
    const total = counts.reduce((a, c) => a + c, 0);
    expect((await http().get(`/v1/admin/coupon-books/${b.couponBookId}`).set(chief)).body.stats.total).toBe(
      total,
    );
  }, 120000);

  it('a worker shut down gracefully mid-job hands it over at once; the next worker finishes it exactly', async () => {
    const http = () => stack.http();
    const chief = (await admin(http)).auth;
    while (workers.length) await workers.pop()!.close();
    // A long lease: only the graceful hand-over (not lease expiry) can let the next worker in quickly.
    const env = { ...WORKER_ENV, COUPON_JOB_LEASE_MS: '600000' };
    const first = await startService(iso, 'coupon-worker', env);
    const b = await createBook(http, chief);
    const count = 80_000;
    const res = await http()
      .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
      .set(chief)
      .send({ count })
      .expect(202);
    const jobs = db.collection('coupon_generation_jobs');
    await waitFor(
      'the job to be part-way',
      async () => {
        const job = await jobs.findOne({ _id: res.body.jobId as never });
        return job && job.generated >= 3000;
      },
      60_000,
      20,
    );
    await first.close();
    const handedOver = await jobs.findOne({ _id: res.body.jobId as never });
    expect(handedOver?.status).toBe('RUNNING');
    expect(handedOver?.generated).toBeLessThan(count);

    workers.push(await startService(iso, 'coupon-worker', env));
    const done = await waitForJob(http, chief, res.body.jobId, 60_000);
    expect(done).toMatchObject({ status: 'COMPLETED', generated: count });
    expect(await db.collection('coupon_codes').countDocuments({ jobId: res.body.jobId })).toBe(count);
  }, 120000);
});
