/**
 * Coupon books: bulk generation and random assignment.
 * - generate-platform: COUNT (1,000,000) codes for one book, timed from the admin's
 *   `POST /v1/admin/coupon-books/{id}/generation-jobs` (through the real gateway and promotion)
 *   until `GET /v1/admin/generation-jobs/{id}` says COMPLETED. The job flows through the outbox
 *   and RabbitMQ to the real coupon worker in a process of its own.
 * - generate-raw-limit: the raw driver's one unordered insertMany of COUNT pre-made documents into
 *   the same collection with the same indexes (nothing else running): the limit.
 * - generate-naive: the seed's way, every code in ONE transaction inserted 1,000 at a time, on a
 *   sample of NAIVE_SAMPLE (100,000) codes and extrapolated linearly to COUNT (the real thing
 *   cannot commit 1M: it exceeds the transaction lifetime limit).
 * - assign-10k / assign-1m: `POST /v1/coupon-books/{id}/assignments` through the gateway at
 *   CONNECTIONS (32) members' connections, closed loop, from a 10,000-code book and from the
 *   1,000,000-code book generated above; the two alternate over rounds, medians reported.
 * - assign-count-skip-1m: the seed's count + skip + claim on the raw driver, 32 concurrent, on the
 *   same 1M book.
 * Targets: generate-platform ≥ 0.8× generate-raw-limit and ≥ 10× generate-naive; assign-1m ≥ 0.8×
 * assign-10k and ≥ 10× assign-count-skip-1m.
 * stdout: one JSON line per figure; progress on stderr. Runs in about 2-3 minutes.
 * Env: MONGODB_URI, REDIS_URL, RABBITMQ_URL (required; `npm run bench` provides them),
 * BENCH_CODES (1000000), BENCH_NAIVE_SAMPLE (100000), BENCH_ASSIGN_SECONDS (5), BENCH_ASSIGN_ROUNDS (2),
 * COUPON_GENERATION_BATCH_SIZE / COUPON_GENERATION_PARALLEL_BATCHES (the worker's defaults),
 * LOG_LEVEL of the servers (warn).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { generateSigningKeyPem } from '../apps/auth/src/keys/generate-signing-key/generate-signing-key';
import {
  countSkipAssignments,
  createCodesCollection,
  naiveTransaction,
  premadeCodes,
  rawInsertMany,
} from './support/coupons-baselines';
import { COUPONS_RUN_ENV, CouponsBenchRun } from './support/coupons-platform';
import { runLoad, type LoadResult } from './support/load-generator';
import { runBenchProcess, startServerChild, tearDownRun } from './support/bench-process';
import { median, positiveInt, round } from './support/stats';

const BENCH = 'coupons';
const COUNT = positiveInt('BENCH_CODES', 1_000_000);
const NAIVE_SAMPLE = Math.min(COUNT, positiveInt('BENCH_NAIVE_SAMPLE', 100_000));
const SMALL_POOL = 10_000;
const ASSIGN_SECONDS = positiveInt('BENCH_ASSIGN_SECONDS', 5);
const ASSIGN_ROUNDS = positiveInt('BENCH_ASSIGN_ROUNDS', 2);
const CONNECTIONS = 32;

const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);
const emit = (figure: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: BENCH, ...figure })}\n`);

// ---------------------------------------------------------------------------------------------
// Server processes.

async function serverChild(role: 'platform' | 'worker'): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  const run = JSON.parse(process.env[COUPONS_RUN_ENV]!) as CouponsBenchRun;
  const { startPlatform, startWorker } = await import('./support/coupons-platform');
  const server = role === 'platform' ? await startPlatform(run) : { port: 0, ...(await startWorker(run)) };
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'stop') void server.close().then(() => process.exit(0));
  });
  process.send!({ type: 'ready', port: server.port });
}

const startChild = (role: 'platform' | 'worker', run: CouponsBenchRun) =>
  startServerChild(__filename, role, { [COUPONS_RUN_ENV]: JSON.stringify(run) });

// ---------------------------------------------------------------------------------------------
// The coordinator.

class Api {
  constructor(private readonly base: string) {}
  async call(method: string, path: string, token?: string, body?: unknown) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
}

async function generate(api: Api, token: string, couponBookId: string, count: number) {
  const started = process.hrtime.bigint();
  const { jobId } = await api.call('POST', `/v1/admin/coupon-books/${couponBookId}/generation-jobs`, token, {
    count,
  });
  let lastLog = Date.now();
  for (;;) {
    const job = await api.call('GET', `/v1/admin/generation-jobs/${jobId}`, token);
    if (job.status === 'COMPLETED' || job.status === 'FAILED') {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (job.status === 'FAILED' || job.generated !== count)
        throw new Error(`job ended ${JSON.stringify(job)}`);
      return { seconds, job };
    }
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      progress(`  generated ${job.generated} / ${count}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const { MONGODB_URI, REDIS_URL, RABBITMQ_URL } = process.env;
  if (!MONGODB_URI || !REDIS_URL || !RABBITMQ_URL)
    throw new Error('MONGODB_URI, REDIS_URL, RABBITMQ_URL must be set');
  const id = randomBytes(4).toString('hex');
  const run: CouponsBenchRun = {
    mongoUri: MONGODB_URI,
    redisUrl: REDIS_URL,
    rabbitUrl: RABBITMQ_URL,
    dbName: `bench_coupons_${id}`,
    prefix: `bench.coupons.${id}.`,
    signingKeyPem: generateSigningKeyPem(),
    admin: { username: 'benchadmin', password: 'bench-admin-password' },
  };
  const client = await new MongoClient(MONGODB_URI).connect();
  const db = client.db(run.dbName);
  const children: ChildProcess[] = [];
  try {
    // 1. The limit: one raw insertMany into the real collection and indexes, nothing else running.
    progress(`raw insertMany of ${COUNT} pre-made codes`);
    await createCodesCollection(db);
    const docs = premadeCodes(COUNT, 'raw-book', 'raw-job');
    const rawSeconds = await rawInsertMany(db, docs);
    docs.length = 0;
    await db.collection('coupon_codes').drop();

    // 2. The seed's way on a sample: one transaction, batches of 1,000.
    progress(`naive one-transaction generation of ${NAIVE_SAMPLE} codes`);
    await createCodesCollection(db);
    const naiveSeconds = await naiveTransaction(db, client, NAIVE_SAMPLE, 'naive-book');
    await db.collection('coupon_codes').drop();

    // 3. The platform: gateway + promotion + auth in one process, the worker in another.
    progress('starting the platform and the coupon worker');
    const platform = await startChild('platform', run);
    children.push(platform.child);
    children.push((await startChild('worker', run)).child);
    const api = new Api(`http://127.0.0.1:${platform.port}`);
    const admin = await api.call('POST', '/v1/auth/login', undefined, run.admin);
    const token = admin.accessToken as string;

    progress(`generating ${COUNT} codes through the platform`);
    const big = await api.call('POST', '/v1/admin/coupon-books', token, { name: 'bench 1M' });
    const generation = await generate(api, token, big.couponBookId, COUNT);
    const rawRate = COUNT / rawSeconds;
    const naiveRate = NAIVE_SAMPLE / naiveSeconds;
    const platformRate = COUNT / generation.seconds;
    emit({
      figure: 'generate-raw-limit',
      codes: COUNT,
      seconds: round(rawSeconds, 2),
      codesPerSecond: Math.round(rawRate),
      layout: 'raw mongodb driver in the coordinator; one unordered insertMany; same collection and indexes',
    });
    emit({
      figure: 'generate-naive',
      codes: COUNT,
      sampleCodes: NAIVE_SAMPLE,
      sampleSeconds: round(naiveSeconds, 2),
      seconds: round((naiveSeconds * COUNT) / NAIVE_SAMPLE, 2),
      codesPerSecond: Math.round(naiveRate),
      note: `measured on ${NAIVE_SAMPLE} codes and extrapolated linearly; 1M in one transaction would exceed the transaction lifetime limit and never commit`,
    });
    emit({
      figure: 'generate-platform',
      codes: COUNT,
      seconds: round(generation.seconds, 2),
      codesPerSecond: Math.round(platformRate),
      jobCodesPerSecond: generation.job.codesPerSecond,
      ratioToRawLimit: round(platformRate / rawRate, 3),
      ratioToNaive: round(platformRate / naiveRate, 2),
      targets: { ratioToRawLimit: 0.8, ratioToNaive: 10 },
      layout:
        'admin HTTP request → gateway → promotion (outbox) → RabbitMQ → coupon worker (own process) → job COMPLETED',
    });

    // 4. Assignment from a 10k and from the 1M pool, through the gateway.
    progress(`registering ${CONNECTIONS} members`);
    const members: string[] = [];
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, i) => {
        const username = `bench.${id}.${i}`;
        await api.call('POST', '/v1/auth/register', undefined, {
          username,
          password: 'correct-horse-battery',
          email: `${username}@example.com`,
        });
        const login = await api.call('POST', '/v1/auth/login', undefined, {
          username,
          password: 'correct-horse-battery',
        });
        members.push(login.accessToken as string);
      }),
    );
    const small = await api.call('POST', '/v1/admin/coupon-books', token, { name: 'bench 10k' });
    await generate(api, token, small.couponBookId, SMALL_POOL);
    const assign = async (couponBookId: string) =>
      runLoad({
        host: '127.0.0.1',
        port: platform.port,
        connections: CONNECTIONS,
        requests: members.map((t) => ({
          method: 'POST' as const,
          path: `/v1/coupon-books/${couponBookId}/assignments`,
          headers: { Authorization: `Bearer ${t}` },
        })),
        expectStatus: 201,
        warmupMs: 1000,
        durationMs: ASSIGN_SECONDS * 1000,
      });
    // Alternate the pools over rounds: the machine's load drifts, and both should see the same drift.
    const rounds: Record<'small' | 'big', LoadResult[]> = { small: [], big: [] };
    for (let r = 0; r < ASSIGN_ROUNDS; r++) {
      progress(`assignments, round ${r + 1}/${ASSIGN_ROUNDS}: 10k pool, then 1M pool`);
      rounds.small.push(await assign(small.couponBookId));
      rounds.big.push(await assign(big.couponBookId));
    }
    const summary = (results: LoadResult[]) => ({
      perSecond: round(median(results.map((x) => x.perSecond)), 1),
      p50Ms: round(median(results.map((x) => x.p50Ms)), 1),
      p99Ms: round(median(results.map((x) => x.p99Ms)), 1),
      errors: results.reduce((n, x) => n + x.errors, 0),
      rounds: results.map((x) => round(x.perSecond, 1)),
    });
    const small10k = summary(rounds.small);
    const big1m = summary(rounds.big);
    progress('count+skip assignments from the 1M pool');
    const countSkip = await countSkipAssignments(db, big.couponBookId, CONNECTIONS, ASSIGN_SECONDS);
    emit({
      figure: 'assign-10k',
      pool: SMALL_POOL,
      ...small10k,
      connections: CONNECTIONS,
    });
    emit({
      figure: 'assign-count-skip-1m',
      pool: COUNT,
      perSecond: round(countSkip.perSecond, 2),
      assignments: countSkip.assignments,
      concurrency: CONNECTIONS,
      layout: 'raw mongodb driver: countDocuments + skip(random) + conditional update, no HTTP',
    });
    emit({
      figure: 'assign-1m',
      pool: COUNT,
      ...big1m,
      connections: CONNECTIONS,
      ratioTo10k: round(big1m.perSecond / small10k.perSecond, 3),
      ratioToCountSkip: round(big1m.perSecond / Math.max(countSkip.perSecond, 0.001), 1),
      targets: { ratioTo10k: 0.8, ratioToCountSkip: 10 },
    });
  } finally {
    await tearDownRun(client, run.dbName, children);
  }
}

runBenchProcess(BENCH, ['platform', 'worker'] as const, serverChild, main);
