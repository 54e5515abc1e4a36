/**
 * Coupon books: bulk generation and random assignment. Gateway and auth run in one process,
 * promotion and the coupon worker each in another, as deployed (BENCH_PROMOTION_APART=0: promotion
 * in the gateway's process, as this benchmark ran before).
 * - generate-platform: COUNT (1,000,000) codes for one book, timed from the admin's
 *   `POST /v1/admin/coupon-books/{id}/generation-jobs` (through the real gateway and promotion)
 *   until `GET /v1/admin/generation-jobs/{id}` says COMPLETED. The job flows through the outbox
 *   and RabbitMQ to the real coupon worker.
 * - generate-raw-limit: the raw driver's one unordered insertMany of COUNT pre-made documents of
 *   the platform's shape (UUID book and job ids) into a collection with the codes' indexes.
 *   It and the platform alternate over BENCH_GENERATION_ROUNDS rounds (each first in turn, the
 *   platform idle beside the baseline as the baseline's servers are beside it); medians reported.
 * - generate-naive: the seed's way, every code in ONE transaction inserted 1,000 at a time, on a
 *   sample of NAIVE_SAMPLE (100,000) codes and extrapolated linearly to COUNT (the real thing
 *   cannot commit 1M: it exceeds the transaction lifetime limit).
 * - assign-10k / assign-1m: `POST /v1/coupon-books/{id}/assignments` through the gateway at
 *   CONNECTIONS (32) members' connections, closed loop, from a 10,000-code book and from the
 *   1,000,000-code book generated last (both books limit codes per member, far above what a run
 *   hands out, so every assignment counts the member's codes too), with the servers' CPU and
 *   mongod's operations per assignment (`top`, this run's databases only; commits not counted).
 * - assign-raw: the same documents as the platform's assignment (member count, claimed code,
 *   stats shard, outbox record) in one raw-driver transaction per assignment, CONNECTIONS
 *   concurrent sessions, on the 1M book (support/coupons-assign-raw.ts).
 * - assign-in-process: promotion's assignment use case called directly, CONNECTIONS concurrent
 *   (support/coupons-in-process.ts): how much of the gap to assign-raw is the use case's code, how
 *   much the trip through the gateway and the broker. The four alternate over rounds; medians.
 * - assign-count-skip-1m: the seed's count + skip + claim on the raw driver, 32 concurrent, on the
 *   same 1M book.
 * Targets: generate-platform ≥ 0.9× generate-raw-limit and ≥ 10× generate-naive; assign-1m ≥ 0.8×
 * assign-raw, ≥ 0.8× assign-10k and ≥ 10× assign-count-skip-1m.
 * stdout: one JSON line per figure; progress on stderr. Runs in about 5-7 minutes.
 * Env: MONGODB_URI, REDIS_URL, RABBITMQ_URL (required; `npm run bench` provides them),
 * BENCH_CODES (1000000), BENCH_GENERATION_ROUNDS (2), BENCH_NAIVE_SAMPLE (100000),
 * BENCH_ASSIGN_SECONDS (5), BENCH_ASSIGN_ROUNDS (2; 0 measures generation only),
 * COUPON_GENERATION_BATCH_SIZE / COUPON_GENERATION_PARALLEL_BATCHES (the worker's defaults),
 * LOG_LEVEL of the servers (warn), BENCH_PROMOTION_APART (1),
 * BENCH_CPU_PROF (a directory for the servers' V8 CPU profiles, written when they stop).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { COUPON_COLLECTIONS } from '@lib/coupons';
import { generateSigningKeyPem } from '../apps/auth/src/keys/generate-signing-key/generate-signing-key';
import {
  countSkipAssignments,
  createCodesCollection,
  naiveTransaction,
  premadeCodes,
  rawInsertMany,
} from './support/coupons-baselines';
import { COUPONS_RUN_ENV, CouponsBenchRun } from './support/coupons-platform';
import { runBenchProcess, startServerChild, tearDownRun } from './support/bench-process';
import { assignRounds } from './support/coupons-assign-rounds';
import { answerCpuQuestions, cpuMicros, profileCpuIfAsked } from './support/coupons-probes';
import { median, positiveInt, round } from './support/stats';

const BENCH = 'coupons';
const COUNT = positiveInt('BENCH_CODES', 1_000_000);
const NAIVE_SAMPLE = Math.min(COUNT, positiveInt('BENCH_NAIVE_SAMPLE', 100_000));
const SMALL_POOL = 10_000;
const ASSIGN_SECONDS = positiveInt('BENCH_ASSIGN_SECONDS', 5);
const GENERATION_ROUNDS = positiveInt('BENCH_GENERATION_ROUNDS', 2);
/** The raw baselines' collection: the codes' indexes, beside the platform's own. */
const RAW_CODES = 'bench_raw_codes';
// 0: generation only.
const ASSIGN_ROUNDS = process.env.BENCH_ASSIGN_ROUNDS === '0' ? 0 : positiveInt('BENCH_ASSIGN_ROUNDS', 2);
const CONNECTIONS = 32;
// Every book limits its codes per member, so an assignment also counts the member's codes (as the
// issue's baseline does); far above what a member gets in a run.
const MAX_CODES_PER_USER = 1_000_000;
const WARMUP_MS = 1000;

const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);
const emit = (figure: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: BENCH, ...figure })}\n`);

// ---------------------------------------------------------------------------------------------
// Server processes.

type Role = 'platform' | 'promotion' | 'worker';
// Promotion in a process of its own, as deployed (the default), or inside the platform's (0).
const PROMOTION_APART = process.env.BENCH_PROMOTION_APART !== '0';

async function serverChild(role: Role): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  const run = JSON.parse(process.env[COUPONS_RUN_ENV]!) as CouponsBenchRun;
  const { startPlatform, startPromotion, startWorker } = await import('./support/coupons-platform');
  const server =
    role === 'platform'
      ? await startPlatform(run, { withPromotion: !PROMOTION_APART })
      : { port: 0, ...(await (role === 'promotion' ? startPromotion : startWorker)(run)) };
  answerCpuQuestions();
  const writeProfile = profileCpuIfAsked(role);
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'stop')
      void server
        .close()
        .then(writeProfile)
        .then(() => process.exit(0));
  });
  process.send!({ type: 'ready', port: server.port });
}

const startChild = (role: Role, run: CouponsBenchRun) =>
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
    // 1. The platform: gateway + auth in one process, promotion and the worker each in another.
    // Started first, so the baselines run beside it idle, as its own generation does.
    progress('starting the platform and the coupon worker');
    const promotionChild = PROMOTION_APART ? (await startChild('promotion', run)).child : undefined;
    if (promotionChild) children.push(promotionChild);
    const platform = await startChild('platform', run);
    children.push(platform.child);
    const workerChild = (await startChild('worker', run)).child;
    children.push(workerChild);
    const api = new Api(`http://127.0.0.1:${platform.port}`);
    const admin = await api.call('POST', '/v1/auth/login', undefined, run.admin);
    const token = admin.accessToken as string;

    // 2. Generation rounds: the limit (one raw insertMany into a collection with the codes'
    // indexes) and the platform, in turn first, so that both see the machine's drift (and its
    // storage engine's checkpoints) alike. Each platform round starts from an empty collection.
    // The platform's document shapes: its book and job ids are UUIDs, in the documents and in
    // three of the four indexes (shorter ids would make the baseline's keys smaller than its).
    const docs = premadeCodes(COUNT, randomUUID(), randomUUID());
    const gen = {
      raw: [] as number[],
      rawCpuUs: [] as number[],
      platform: [] as number[],
      workerCpuUs: [] as number[],
    };
    let big: { couponBookId: string } | undefined;
    let lastJob: Record<string, any> = {};
    const rawRound = async () => {
      progress(`raw insertMany of ${COUNT} pre-made codes`);
      await createCodesCollection(db, RAW_CODES);
      const cpu0 = process.cpuUsage();
      gen.raw.push(await rawInsertMany(db, RAW_CODES, docs));
      const cpu = process.cpuUsage(cpu0);
      gen.rawCpuUs.push(cpu.user + cpu.system);
      await db.collection(RAW_CODES).drop();
    };
    const platformRound = async (r: number) => {
      progress(`generating ${COUNT} codes through the platform`);
      if (big) {
        await db.collection(COUPON_COLLECTIONS.codes).drop();
        await createCodesCollection(db);
      }
      const book = await api.call('POST', '/v1/admin/coupon-books', token, {
        name: `bench 1M #${r + 1}`,
        maxCodesPerUser: MAX_CODES_PER_USER,
      });
      big = { couponBookId: book.couponBookId as string };
      const cpu0 = await cpuMicros(workerChild);
      const { seconds, job } = await generate(api, token, big.couponBookId, COUNT);
      gen.workerCpuUs.push((await cpuMicros(workerChild)) - cpu0);
      gen.platform.push(seconds);
      lastJob = job;
    };
    for (let r = 0; r < GENERATION_ROUNDS; r++) {
      if (r % 2 === 0) {
        await rawRound();
        await platformRound(r);
      } else {
        await platformRound(r);
        await rawRound();
      }
    }
    docs.length = 0;

    // 3. The seed's way on a sample: one transaction, batches of 1,000.
    progress(`naive one-transaction generation of ${NAIVE_SAMPLE} codes`);
    await createCodesCollection(db, RAW_CODES);
    const naiveSeconds = await naiveTransaction(db, client, RAW_CODES, NAIVE_SAMPLE, randomUUID());
    await db.collection(RAW_CODES).drop();

    const rawSeconds = median(gen.raw);
    const platformSeconds = median(gen.platform);
    const rawRate = COUNT / rawSeconds;
    const naiveRate = NAIVE_SAMPLE / naiveSeconds;
    const platformRate = COUNT / platformSeconds;
    emit({
      figure: 'generate-raw-limit',
      codes: COUNT,
      seconds: round(rawSeconds, 2),
      codesPerSecond: Math.round(rawRate),
      rounds: gen.raw.map((x) => round(x, 2)),
      clientCpuUsPerCode: round(median(gen.rawCpuUs) / COUNT, 2),
      layout:
        'raw mongodb driver in the coordinator; one unordered insertMany; a collection with the same indexes',
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
      seconds: round(platformSeconds, 2),
      codesPerSecond: Math.round(platformRate),
      rounds: gen.platform.map((x) => round(x, 2)),
      lastJobCodesPerSecond: lastJob.codesPerSecond,
      workerCpuUsPerCode: round(median(gen.workerCpuUs) / COUNT, 2),
      ratioToRawLimit: round(platformRate / rawRate, 3),
      roundRatios: gen.platform.map((x, i) => round(gen.raw[i] / x, 3)),
      ratioToNaive: round(platformRate / naiveRate, 2),
      targets: { ratioToRawLimit: 0.9, ratioToNaive: 10 },
      layout:
        'admin HTTP request → gateway → promotion (outbox) → RabbitMQ → coupon worker (own process) → job COMPLETED',
    });

    if (ASSIGN_ROUNDS === 0) return;

    // 4. Assignment from a 10k and from the 1M pool, through the gateway.
    progress(`registering ${CONNECTIONS} members`);
    const memberTokens = await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, i) => {
        const credentials = { username: `bench.${id}.${i}`, password: 'correct-horse-battery' };
        await api.call('POST', '/v1/auth/register', undefined, {
          ...credentials,
          email: `${credentials.username}@example.com`,
        });
        return (await api.call('POST', '/v1/auth/login', undefined, credentials)).accessToken as string;
      }),
    );
    const small = await api.call('POST', '/v1/admin/coupon-books', token, {
      name: 'bench 10k',
      maxCodesPerUser: MAX_CODES_PER_USER,
    });
    await generate(api, token, small.couponBookId, SMALL_POOL);
    const {
      small: small10k,
      big: big1m,
      raw,
      inProcess,
    } = await assignRounds({
      client,
      db,
      mongoUri: MONGODB_URI,
      dbName: run.dbName,
      gatewayPort: platform.port,
      servers: { platform: platform.child, ...(promotionChild ? { promotion: promotionChild } : {}) },
      memberTokens,
      smallBookId: small.couponBookId,
      bigBookId: big!.couponBookId,
      maxCodesPerUser: MAX_CODES_PER_USER,
      warmupMs: WARMUP_MS,
      seconds: ASSIGN_SECONDS,
      rounds: ASSIGN_ROUNDS,
      progress,
    });
    progress('count+skip assignments from the 1M pool');
    const countSkip = await countSkipAssignments(db, big!.couponBookId, CONNECTIONS, ASSIGN_SECONDS);
    emit({
      figure: 'assign-raw',
      pool: COUNT,
      ...raw,
      sessions: CONNECTIONS,
      layout:
        'raw mongodb driver, one transaction per assignment (snapshot, majority): member count, claim, stats shard, outbox record',
    });
    emit({
      figure: 'assign-in-process',
      pool: COUNT,
      ...inProcess,
      sessions: CONNECTIONS,
      ratioToRaw: round(inProcess.perSecond / raw.perSecond, 3),
      layout:
        "promotion's AssignCouponHandler called in the coordinator: its repositories, outbox and unit of work; no HTTP, RabbitMQ, Nest or tokens",
    });
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
      ratioToRaw: round(big1m.perSecond / raw.perSecond, 3),
      ratioTo10k: round(big1m.perSecond / small10k.perSecond, 3),
      ratioToCountSkip: round(big1m.perSecond / Math.max(countSkip.perSecond, 0.001), 1),
      targets: { ratioToRaw: 0.8, ratioTo10k: 0.8, ratioToCountSkip: 10 },
    });
  } finally {
    await tearDownRun(client, run.dbName, children);
  }
}

runBenchProcess(BENCH, ['platform', 'promotion', 'worker'] as const, serverChild, main);
