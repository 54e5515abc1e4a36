/**
 * Latency under a steady load (issue 21, item 3), for four paths through the real gateway:
 * - purchases: `POST /v1/purchases` by a till (an API client with `purchases:write`) naming 64
 *   members in turn, one group each, a new purchaseId per request;
 * - redemptions: `POST /v1/redemptions` of 1 point by those members (funded by the till), a new
 *   redemptionId per request;
 * - me: `GET /v1/me` by the members;
 * - assignments: `POST /v1/coupon-books/{id}/assignments` by the members, from one book whose codes
 *   the admin uploaded (topped up so that it never runs dry).
 * For each path: its maximum throughput, a closed loop (the generator the other benchmarks use for
 * that path: 64 connections, 32 for assignments; BENCH_LATENCY_MAX_SECONDS after 1 s of warm-up),
 * then an open loop (support/open-loop.ts) at BENCH_LATENCY_LOAD_PERCENT (50) % of that maximum:
 * requests released at a constant rate on a pool of keep-alive connections that grows when all
 * are busy, each latency measured from the request's SCHEDULED time to its response's last byte,
 * so queueing behind a slow response is counted (no coordinated omission).
 * Figure `<path>-open-loop`: maxPerSecond (closed loop), offeredPerSecond, achievedPerSecond,
 * p50/p90/p99/p99.9/max in ms, statuses, errors, client-side figures (capHits: requests that found
 * the pool at its cap of 1,024; sendLagP99Ms: how late the generator wrote them), and where the
 * CPU went during the open loop: cores busy per server process, per MongoDB / RabbitMQ / Redis
 * (Linux /proc; the whole broker and database, whoever else uses them), the whole machine, and
 * CPU µs per request of each and in total (`cpuUsPerRequest`), the same during the closed loop
 * (`closedLoop.cpuUsPerRequest`) and their ratio (`cpuPerRequestVsClosedLoop`: at half load a
 * request is batched with fewer others, so it costs more), mongod's commands and commits per
 * request in both loops (`mongod`, `closedLoop.mongod`); `idleMachineBusyCores`, the machine's busy cores in the second
 * before the path's runs (someone else's load, on a shared machine); and where the time went (support/latency-metrics.ts): `stages`,
 * the apps' own histograms over the open loop (the gateway's HTTP time, each RPC as its caller and
 * as its callee saw it: mean, and the bucket bound of p50 and p99) and each process's event-loop
 * delay. Target: p99 < 50 ms with no errors (`met`).
 * Gateway, auth, loyalty and promotion run in four processes, each on a database of its own; the
 * load generators run in this one. stdout: one JSON line per figure; progress on stderr.
 * Env: MONGODB_URI, REDIS_URL, RABBITMQ_URL (required; `npm run bench` provides them),
 * BENCH_LATENCY_SECONDS (10), BENCH_LATENCY_WARMUP_SECONDS (2), BENCH_LATENCY_MAX_SECONDS (5),
 * BENCH_LATENCY_LOAD_PERCENT (50), BENCH_LATENCY_PATHS (all; a comma list of purchases,
 * redemptions, me, assignments), BENCH_CPU_PROF (a directory for the servers' CPU profiles),
 * LOG_LEVEL of the servers (warn). About 2 minutes.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { MongoClient } from 'mongodb';
import { generateSigningKeyPem } from '../apps/auth/src/keys/generate-signing-key/generate-signing-key';
import { BenchConfig, CONFIG_ENV } from './support/identity-config';
import {
  LATENCY_PATHS,
  PATH_NAMES,
  type LatencyPath,
  type PathContext,
  type PathName,
} from './support/latency-paths';
import { LATENCY_ROLES, databaseOf, serveRole, type LatencyRole } from './support/latency-platform';
import { eventLoopDelay, scrapeMetrics, stagesBetween, type Stage } from './support/latency-metrics';
import { CpuWindow, ServerProcess, machineBusyCoresOver, type CpuFigures } from './support/latency-processes';
import {
  BenchApi,
  addCodes,
  adminToken,
  setUpCouponBook,
  setUpMembers,
  setUpTill,
  unassignedCodes,
} from './support/latency-setup';
import { runOpenLoop } from './support/open-loop';
import { sampleInfra, type InfraSample } from './support/infra-usage';
import { positiveInt } from './support/stats';
import { deleteRedisKeys } from './support/redis-cleanup';

const BENCH = 'latency';
const SECONDS = positiveInt('BENCH_LATENCY_SECONDS', 10);
const WARMUP_SECONDS = positiveInt('BENCH_LATENCY_WARMUP_SECONDS', 2);
const MAX_SECONDS = positiveInt('BENCH_LATENCY_MAX_SECONDS', 5);
const LOAD_PERCENT = positiveInt('BENCH_LATENCY_LOAD_PERCENT', 50);
const MEMBERS = 64;
const MAX_CONNECTIONS = 1024;
const TARGET_P99_MS = 50;
/** Codes uploaded before the first assignment; more are added before each run that could need them. */
const INITIAL_CODES = 20_000;
const ADMIN = { username: 'bench.admin', password: randomBytes(12).toString('hex') };

const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);
const emit = (line: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: BENCH, ...line })}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function selectedPaths(): LatencyPath[] {
  const raw = process.env.BENCH_LATENCY_PATHS;
  if (!raw) return PATH_NAMES.map((name) => LATENCY_PATHS[name]);
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(PATH_NAMES as readonly string[]).includes(n));
  if (unknown.length)
    throw new Error(`BENCH_LATENCY_PATHS: unknown ${unknown.join(', ')}; known: ${PATH_NAMES.join(', ')}`);
  return names.map((name) => LATENCY_PATHS[name as PathName]);
}

/** Enough unassigned codes for `assignments` more (with a margin): no 409 NO_CODES_AVAILABLE. */
async function ensureCodes(ctx: PathContext, admin: string, assignments: number): Promise<void> {
  const needed = Math.ceil(assignments * 1.5) + 1000;
  const left = await unassignedCodes(ctx.port, admin, ctx.couponBookId);
  if (left < needed)
    await addCodes(ctx.port, admin, ctx.couponBookId, `${ctx.runId}-${Date.now()}`, needed - left);
}

interface OpenLoopRun {
  open: Awaited<ReturnType<typeof runOpenLoop>>;
  cpu: CpuFigures;
  stages: Record<string, Stage>;
  eventLoopDelay: Record<string, ReturnType<typeof eventLoopDelay>>;
}

/** The open loop at `offered`/s, with the servers' CPU and metrics around it. */
async function measureOpenLoop(
  path: LatencyPath,
  ctx: PathContext,
  servers: ServerProcess[],
  offered: number,
): Promise<OpenLoopRun> {
  const scrape = () => Promise.all(servers.map((s) => scrapeMetrics(s.port)));
  const before = await scrape();
  const cpuWindow = await CpuWindow.start(servers);
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n); // the clock of V8's CPU profiles
  const startedUs = monotonicUs();
  const open = await runOpenLoop({
    host: '127.0.0.1',
    port: ctx.port,
    ratePerSecond: offered,
    warmupMs: WARMUP_SECONDS * 1000,
    durationMs: SECONDS * 1000,
    request: (i) => path.request(ctx, i),
    expectStatus: path.expectStatus,
    maxConnections: MAX_CONNECTIONS,
  });
  const cpu = await cpuWindow.end();
  if (process.env.BENCH_CPU_PROF) progress(`  profile window (monotonic µs): ${startedUs}-${monotonicUs()}`);
  const after = await scrape();
  const stages: Record<string, Stage> = {};
  const eventLoop: OpenLoopRun['eventLoopDelay'] = {};
  servers.forEach((server, i) => {
    for (const [key, stage] of Object.entries(stagesBetween(before[i], after[i])))
      stages[`${server.role} ${key}`] = stage;
    eventLoop[server.role] = eventLoopDelay(after[i]);
  });
  return { open, cpu, stages, eventLoopDelay: eventLoop };
}

/** mongod's commands and commits per request over a window (every database: ours alone here). */
class MongoWindow {
  private constructor(
    private readonly mongo: MongoClient,
    private readonly before: InfraSample,
    private readonly startedAt: number,
  ) {}

  static async start(mongo: MongoClient): Promise<MongoWindow> {
    return new MongoWindow(mongo, await sampleInfra(mongo, 0), performance.now());
  }

  async perRequest(perSecond: number): Promise<{ commandsPerRequest: number; commitsPerRequest: number }> {
    const after = await sampleInfra(this.mongo, 0);
    const requests = (perSecond * (performance.now() - this.startedAt)) / 1000;
    const commands = Object.keys(after.commands).reduce(
      (sum, name) => sum + after.commands[name] - this.before.commands[name],
      0,
    );
    const per = (n: number) => Math.round((n / Math.max(requests, 1)) * 100) / 100;
    return { commandsPerRequest: per(commands), commitsPerRequest: per(after.commits - this.before.commits) };
  }
}

/** Each server's, MongoDB's, RabbitMQ's and Redis's CPU µs per request, and their `total`. */
function usPerRequest(cpu: CpuFigures, perSecond: number): Record<string, number> {
  const perRequest: Record<string, number> = {};
  let total = 0;
  for (const [name, cores] of Object.entries({ ...cpu.serverCores, ...cpu.infraCores })) {
    perRequest[name] = Math.round((cores * 1e6) / perSecond);
    total += perRequest[name];
  }
  return { ...perRequest, total };
}

function costRatio(at: Record<string, number>, atMax: Record<string, number>): number | undefined {
  return atMax.total > 0 ? Math.round((at.total / atMax.total) * 100) / 100 : undefined;
}

async function measurePath(
  path: LatencyPath,
  ctx: PathContext,
  servers: ServerProcess[],
  admin: string,
  mongo: MongoClient,
): Promise<void> {
  // What the machine does without our load (other processes, our servers' timers): on a shared
  // machine, it tells how much of the figures is someone else's.
  const idleMachineBusyCores = await machineBusyCoresOver(1000);
  progress(
    `${path.name}: machine ${idleMachineBusyCores ?? '?'} cores busy before; closed loop, ${path.connections} connections, 1 s + ${MAX_SECONDS} s`,
  );
  if (path.name === 'assignments') await ensureCodes(ctx, admin, 2000 * (MAX_SECONDS + 1));
  const closedCpuWindow = await CpuWindow.start(servers);
  const closedMongo = await MongoWindow.start(mongo);
  const closed = await path.closedLoop(ctx, { warmupMs: 1000, durationMs: MAX_SECONDS * 1000 });
  // Over the warm-up too, which runs at about the same rate: per request, as if it did.
  const closedCpu = await closedCpuWindow.end();
  const closedMongod = await closedMongo.perRequest(closed.perSecond);
  progress(`  ${path.name} max: ${closed.perSecond}/s (p50 ${closed.p50Ms} ms, p99 ${closed.p99Ms} ms)`);
  if (closed.errors || !closed.requests) {
    throw new Error(
      `${path.name} closed loop: ${closed.errors} errors, statuses ${JSON.stringify(closed.statuses)}`,
    );
  }

  const offered = Math.max(1, Math.round((closed.perSecond * LOAD_PERCENT) / 100));
  if (path.name === 'assignments') await ensureCodes(ctx, admin, offered * (WARMUP_SECONDS + SECONDS));
  await sleep(1000); // the closed loop's last answers and outbox events settle
  progress(`${path.name}: open loop at ${offered}/s, ${WARMUP_SECONDS} s + ${SECONDS} s`);
  const openMongo = await MongoWindow.start(mongo);
  const { open, cpu, stages, eventLoopDelay: eventLoop } = await measureOpenLoop(path, ctx, servers, offered);
  const openMongod = await openMongo.perRequest(offered);
  const cpuUsPerRequest = usPerRequest(cpu, offered);
  const closedCpuUsPerRequest = usPerRequest(closedCpu, closed.perSecond);
  const met = open.errors === 0 && open.p99Ms < TARGET_P99_MS;
  progress(
    `  ${path.name} open loop: ${open.achievedPerSecond}/s of ${offered}/s, p50 ${open.p50Ms} ms, p99 ${open.p99Ms} ms, ` +
      `p99.9 ${open.p999Ms} ms, max ${open.maxMs} ms, statuses ${JSON.stringify(open.statuses)}, ` +
      `${open.connectionsOpened} connections; cores ${JSON.stringify({ ...cpu.serverCores, ...cpu.infraCores })}, ` +
      `machine ${cpu.machineBusyCores ?? '?'}; CPU per request ${cpuUsPerRequest.total} µs, ` +
      `${closedCpuUsPerRequest.total} µs at the maximum: ${met ? 'met' : 'NOT met'}`,
  );
  for (const [key, stage] of Object.entries(stages))
    progress(`    ${key}: ${stage.count}, mean ${stage.meanMs} ms, p99 ≤ ${stage.p99AtMostMs ?? '∞'} ms`);
  emit({
    figure: `${path.name}-open-loop`,
    maxPerSecond: closed.perSecond,
    offeredPerSecond: offered,
    achievedPerSecond: open.achievedPerSecond,
    p50Ms: open.p50Ms,
    p90Ms: open.p90Ms,
    p99Ms: open.p99Ms,
    p999Ms: open.p999Ms,
    maxMs: open.maxMs,
    requests: open.completed,
    statuses: open.statuses,
    errors: open.errors,
    target: `p99 < ${TARGET_P99_MS} ms`,
    met,
    loadPercent: LOAD_PERCENT,
    closedLoop: {
      connections: path.connections,
      p50Ms: closed.p50Ms,
      p99Ms: closed.p99Ms,
      machineBusyCores: closedCpu.machineBusyCores,
      cpuUsPerRequest: closedCpuUsPerRequest,
      mongod: closedMongod,
    },
    client: {
      capHits: open.capHits,
      connectionsOpened: open.connectionsOpened,
      sendLagP99Ms: open.sendLagP99Ms,
      sendLagMaxMs: open.sendLagMaxMs,
      cpuShare: open.clientCpuShare,
    },
    ...cpu,
    cpuUsPerRequest,
    // The open loop's CPU per request over the closed loop's: what a request costs at this load
    // against what it costs at the maximum, where work is batched (servers, MongoDB, RabbitMQ).
    cpuPerRequestVsClosedLoop: costRatio(cpuUsPerRequest, closedCpuUsPerRequest),
    mongod: openMongod,
    idleMachineBusyCores,
    stages,
    eventLoopDelay: eventLoop,
    layout: `${path.route}; gateway, auth, loyalty, promotion in four processes; open loop over up to ${MAX_CONNECTIONS} keep-alive connections`,
  });
}

async function main(): Promise<void> {
  const { MONGODB_URI, REDIS_URL, RABBITMQ_URL } = process.env;
  if (!MONGODB_URI || !REDIS_URL || !RABBITMQ_URL) {
    throw new Error('MONGODB_URI, REDIS_URL and RABBITMQ_URL must be set (`npm run bench` provides them)');
  }
  const paths = selectedPaths();
  const runId = randomBytes(4).toString('hex');
  const config: BenchConfig = {
    mongoUri: MONGODB_URI,
    redisUrl: REDIS_URL,
    rabbitUrl: RABBITMQ_URL,
    dbName: `bench_latency_${runId}`,
    prefix: `bench.latency.${runId}.`,
    signingKeyPem: generateSigningKeyPem(),
    jwt: { issuer: 'loyalty-platform', audience: 'loyalty-api' },
    admin: ADMIN,
  };
  const env = {
    ...process.env,
    [CONFIG_ENV]: JSON.stringify(config),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const servers: ServerProcess[] = [];
  let mongo: MongoClient | undefined;
  const start = async (role: LatencyRole) => {
    const server = await ServerProcess.start(__filename, role, env);
    servers.push(server);
    return server;
  };
  try {
    progress(`starting auth, loyalty, promotion, then the gateway (databases ${config.dbName}_*)`);
    // All started before any failure is thrown: the finally block must see every one to stop it.
    const started = await Promise.allSettled(LATENCY_ROLES.filter((r) => r !== 'gateway').map(start));
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    const gateway = await start('gateway');
    progress(`setup: the till, ${MEMBERS} members (funded by the till), a coupon book`);
    const admin = await adminToken(new BenchApi(gateway.port), ADMIN);
    const till = await setUpTill(gateway.port, admin);
    const members = await setUpMembers(gateway.port, runId, MEMBERS, till);
    const needsBook = paths.some((p) => p.name === 'assignments');
    const couponBookId = needsBook ? await setUpCouponBook(gateway.port, admin, runId, INITIAL_CODES) : '';
    const ctx: PathContext = { port: gateway.port, runId, till, members, couponBookId };
    mongo = await new MongoClient(MONGODB_URI).connect();
    for (const path of paths) await measurePath(path, ctx, servers, admin, mongo);
  } finally {
    await mongo?.close();
    for (const server of [...servers].reverse()) await server.stop().catch(() => undefined);
    await cleanUp(config);
  }
}

/** The run's databases, queues, exchanges and Redis keys. */
async function cleanUp(config: BenchConfig): Promise<void> {
  const mongo = async () => {
    const client = await new MongoClient(config.mongoUri).connect();
    try {
      for (const role of LATENCY_ROLES) await client.db(databaseOf(config, role)).dropDatabase();
    } finally {
      await client.close();
    }
  };
  const broker = async () => {
    const connection = await connect(config.rabbitUrl);
    try {
      const consumers = ['auth.audit-log', 'auth.notifications', 'promotion.first-login-vouchers'];
      const queues = [
        ...['auth', 'loyalty', 'promotion'].map((s) => `rpc.${s}`),
        ...consumers,
        ...consumers.map((q) => `${q}.dlq`),
      ];
      for (const queue of queues) {
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        await channel.deleteQueue(`${config.prefix}${queue}`).catch(() => undefined);
        await channel.close().catch(() => undefined);
      }
      for (const exchange of ['loyalty.events', 'loyalty.dlx']) {
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        await channel.deleteExchange(`${config.prefix}${exchange}`).catch(() => undefined);
        await channel.close().catch(() => undefined);
      }
    } finally {
      await connection.close().catch(() => undefined);
    }
  };
  const redis = () => deleteRedisKeys(config.redisUrl, config.prefix);
  const outcomes = await Promise.allSettled([mongo(), broker(), redis()]);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') progress(`cleanup: ${String(outcome.reason)}`);
  }
}

const role = process.argv[2];
if (role !== undefined && (LATENCY_ROLES as readonly string[]).includes(role)) {
  serveRole(role as LatencyRole).catch((err: unknown) => {
    process.stderr.write(`${role}: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`[bench] ${BENCH}: failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
