/**
 * The points ledger over real HTTP, next to raw-driver baselines measured in the same run:
 * - purchases-gateway: `POST /v1/purchases` by one API client (a till with `purchases:write`, its
 *   token from the client-credentials grant, as in production: members can't record purchases)
 *   through the real gateway (helmet, validation, JWT) and one RPC over RabbitMQ to the real
 *   loyalty service (re-verifies the token, finds the named member's group through auth's member
 *   lookup or its short cache, idempotency check, one transaction: account, lot, EARN entry,
 *   request record). 64 connections, naming 64 members (one group each), a new purchaseId per
 *   request. Gateway, auth and loyalty in three processes.
 * - redemptions-gateway: `POST /v1/redemptions` of 1 point by the members themselves, same layout,
 *   the same 64 groups (funded by the purchases and one big purchase each, recorded by the till).
 * - hot-redemptions-gateway: `POST /v1/redemptions` of 1 point, 64 connections, all one group.
 * - *-raw: the same documents in one transaction with the raw `mongodb` driver (snapshot reads,
 *   majority writes), 32 concurrent sessions, no HTTP, no RabbitMQ, no Nest (support/points-raw-
 *   baseline.ts); purchases and redemptions over 64 groups (no two sessions on one group at once),
 *   hot redemptions all on one group (they conflict and withTransaction retries them), and
 *   hot-redemptions-raw-queued with the loyalty service's per-group queue applied to the driver.
 * - purchases-in-process: the loyalty purchase use case called directly (support/points-in-
 *   process.ts), 32 concurrent: how much of the gap is the ledger's code, how much HTTP + RabbitMQ.
 * Ratios: platform / raw per figure (hot: against the better of the two hot baselines). After the
 * hot run the hot group's ledger is checked: balance = entries = lot remainders, nothing negative.
 * stdout: one JSON line per figure (medians over rounds; the servers stay up between rounds).
 * Env: MONGODB_URI, REDIS_URL, RABBITMQ_URL; BENCH_ROUNDS (2), BENCH_SECONDS (6), BENCH_WARMUP_SECONDS (1), BENCH_SERVER_WARMUP_SECONDS (5: once, before round 1), BENCH_CPU_PROF (a directory for the servers' CPU profiles). About 2 minutes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { generateSigningKeyPem } from '../apps/auth/src/keys/generate-signing-key/generate-signing-key';
import { snapshotGroupLedger } from '../test/support/loyalty/ledger-invariants';
import { BenchConfig, CONFIG_ENV, RunningServer, readBenchConfig } from './support/identity-config';
import { HttpLoadResult, runHttpLoad } from './support/points-http-load';
import { runInProcessPurchases } from './support/points-in-process';
import { prepareRawDb, runRawLoad } from './support/points-raw-baseline';
import { median, positiveInt, round } from './support/stats';
import { type InfraPerOp, perOp, sampleInfra } from './support/infra-usage';

const BENCH = 'points';
const CONNECTIONS = 64;
const SESSIONS = 32;
const GROUPS = 64;
const PASSWORD = 'correct-horse-battery';
const ADMIN = { username: 'bench.admin', password: randomBytes(12).toString('hex') };
const ROUNDS = positiveInt('BENCH_ROUNDS', 2);
const SECONDS = positiveInt('BENCH_SECONDS', 6);
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP_SECONDS', 1);
const SERVER_WARMUP_SECONDS = positiveInt('BENCH_SERVER_WARMUP_SECONDS', 5);
type Role = 'auth' | 'loyalty' | 'gateway';

const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);
const emit = (line: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: BENCH, ...line })}\n`);

// ---------------------------------------------------------------------------------------------
// Server processes.

async function serverChild(role: Role): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  const config = readBenchConfig();
  let server: RunningServer;
  if (role === 'loyalty') {
    const { startLoyalty } = await import('./support/points-platform');
    server = await startLoyalty(config);
  } else {
    const platform = await import('./support/identity-platform');
    server = await (role === 'auth' ? platform.startAuth : platform.startGateway)(config);
  }
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
    if (msg.type === 'stop') void server.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', port: server.port });
}

class Server {
  port = 0;
  private constructor(
    readonly role: Role,
    private readonly proc: ChildProcess,
  ) {}

  static async start(role: Role, env: NodeJS.ProcessEnv): Promise<Server> {
    // Under ts-node (iterating) the children need its hooks; the built benchmark runs plain JS.
    const execArgv = __filename.endsWith('.ts')
      ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register']
      : [];
    // BENCH_CPU_PROF=<dir>: the server processes write V8 CPU profiles there when they stop.
    const profileDir = process.env.BENCH_CPU_PROF;
    if (profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    const proc = fork(__filename, [role], { env, stdio: ['ignore', 2, 2, 'ipc'], execArgv });
    const server = new Server(role, proc);
    server.port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${role}: not ready in 60s`)), 60_000);
      proc.on('message', (msg: { type: string; port?: number }) => {
        if (msg.type === 'ready') {
          clearTimeout(timer);
          resolve(msg.port ?? 0);
        }
      });
      proc.on('exit', (code) => reject(new Error(`${role} exited (${code}) before it was ready`)));
    });
    return server;
  }

  cpu(): Promise<NodeJS.CpuUsage> {
    return new Promise((resolve) => {
      const onMessage = (msg: { type: string; usage?: NodeJS.CpuUsage }) => {
        if (msg.type !== 'cpu') return;
        this.proc.off('message', onMessage);
        resolve(msg.usage!);
      };
      this.proc.on('message', onMessage);
      this.proc.send({ type: 'cpu' });
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.send({ type: 'stop' }, () => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Coordinator.

async function api(port: number, path: string, body: unknown, expect: number, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== expect) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * The till: the admin creates an API client with `purchases:write`, which gets its token with the
 * client-credentials grant (`POST /v1/oauth/token`, form-encoded, secret in HTTP Basic).
 */
async function setUpTill(port: number): Promise<string> {
  const login = await api(port, '/v1/auth/login', ADMIN, 200);
  const created = await api(
    port,
    '/v1/admin/api-clients',
    { name: 'bench till', scopes: ['purchases:write'] },
    201,
    login.accessToken as string,
  );
  const basic = Buffer.from(`${String(created.clientId)}:${String(created.clientSecret)}`).toString('base64');
  const res = await fetch(`http://127.0.0.1:${port}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`POST /v1/oauth/token: ${res.status} ${JSON.stringify(json)}`);
  return json.access_token as string;
}

interface BenchUser {
  token: string;
  userId: string;
  groupId: string;
}

async function setUpUsers(port: number, id: string, tillToken: string): Promise<BenchUser[]> {
  const users = new Array<BenchUser>(GROUPS);
  let next = 0;
  const worker = async () => {
    while (next < GROUPS) {
      const i = next++;
      const username = `p${id}.u${i}`;
      const reg = await api(
        port,
        '/v1/auth/register',
        { username, password: PASSWORD, email: `${username}@example.com` },
        201,
      );
      const login = await api(port, '/v1/auth/login', { username, password: PASSWORD }, 200);
      users[i] = {
        token: login.accessToken as string,
        userId: reg.userId as string,
        groupId: reg.groupId as string,
      };
      // Enough points for every redemption of the run, in one old lot, recorded by the till
      // (its purchaseIds are its own: one per member).
      await api(
        port,
        '/v1/purchases',
        {
          purchaseId: `fund-${i}`,
          userId: users[i].userId,
          amount: '900000000.00',
          occurredAt: '2020-01-01T00:00:00Z',
        },
        201,
        tillToken,
      );
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return users;
}

// mongod and the broker per operation (support/infra-usage.ts): set once the bench connects.
let infraClient: MongoClient;
let infraPort = 0;

/** Runs one measured window and adds what mongod, RabbitMQ and Redis spent per operation. */
async function withInfra<T extends HttpLoadResult>(measure: () => Promise<T>): Promise<T & InfraPerOp> {
  const before = await sampleInfra(infraClient, infraPort);
  const result = await measure();
  const after = await sampleInfra(infraClient, infraPort);
  // Warm-up included, like the servers' CPU: per request answered in the window, scaled.
  return { ...result, ...perOp(before, after, result.requests * ((SECONDS + WARMUP_SECONDS) / SECONDS)) };
}

interface Figure extends HttpLoadResult, Partial<InfraPerOp> {
  cpuUsPerRequest?: Record<string, number>;
  conflictRetries?: number;
  clientCpuUsPerTxn?: number;
  cpuUsPerOp?: number;
  overdrafts?: number;
  ledgerConsistent?: boolean;
}

async function measureGateway(
  what: string,
  servers: Server[],
  gateway: Server,
  spec: Omit<
    Parameters<typeof runHttpLoad>[0],
    'port' | 'warmupMs' | 'durationMs' | 'connections' | 'expectStatus'
  >,
  window = { warmupMs: WARMUP_SECONDS * 1000, durationMs: SECONDS * 1000 },
): Promise<Figure> {
  const cpu0 = await Promise.all(servers.map((s) => s.cpu()));
  const result = await withInfra(() =>
    runHttpLoad({
      ...spec,
      port: gateway.port,
      connections: CONNECTIONS,
      expectStatus: 201,
      ...window,
    }),
  );
  const cpu1 = await Promise.all(servers.map((s) => s.cpu()));
  // CPU over warm-up and window, per request answered in the window: an upper bound.
  const cpuUsPerRequest: Record<string, number> = {};
  servers.forEach((s, i) => {
    const us = cpu1[i].user + cpu1[i].system - cpu0[i].user - cpu0[i].system;
    cpuUsPerRequest[s.role] = round(us / result.requests / ((SECONDS + WARMUP_SECONDS) / SECONDS), 1);
  });
  progress(
    `  ${what}: ${result.perSecond}/s p50 ${result.p50Ms}ms p99 ${result.p99Ms}ms statuses ${JSON.stringify(result.statuses)} CPU µs/req ${JSON.stringify(cpuUsPerRequest)} mongod commands/req ${result.mongodCommandsPerOp} infra CPU µs/req ${JSON.stringify(result.infraCpuUsPerOp)}`,
  );
  if (result.errors)
    throw new Error(
      `${what}: ${result.errors} of ${result.requests} failed: ${JSON.stringify(result.statuses)}`,
    );
  return { ...result, cpuUsPerRequest };
}

async function main(): Promise<void> {
  const infra = {
    mongoUri: required('MONGODB_URI'),
    redisUrl: required('REDIS_URL'),
    rabbitUrl: required('RABBITMQ_URL'),
  };
  const id = randomBytes(4).toString('hex');
  const config: BenchConfig = {
    ...infra,
    dbName: `bench_points_${id}`,
    prefix: `bench.points.${id}.`,
    signingKeyPem: generateSigningKeyPem(),
    jwt: { issuer: 'loyalty-platform', audience: 'loyalty-api' },
    admin: ADMIN,
  };
  const env = {
    ...process.env,
    [CONFIG_ENV]: JSON.stringify(config),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const client = await new MongoClient(infra.mongoUri, { maxPoolSize: 64 }).connect();
  infraClient = client;
  infraPort = Number(/^mongodb:\/\/[^/,]*?:(\d+)/.exec(infra.mongoUri)?.[1] ?? 27017);
  const rawDb = client.db(`${config.dbName}_raw`);
  const servers: Server[] = [];
  const rounds: Array<Record<string, Figure>> = [];
  try {
    progress(`starting auth, loyalty, gateway (database ${config.dbName})`);
    servers.push(await Server.start('auth', env));
    servers.push(await Server.start('loyalty', env));
    const gateway = await Server.start('gateway', env);
    servers.push(gateway);
    progress(`setup: an API client (the till), ${GROUPS} users, one group each, funded by the till`);
    const tillToken = await setUpTill(gateway.port);
    const users = await setUpUsers(gateway.port, id, tillToken);
    const rawGroups = Array.from({ length: GROUPS }, () => randomBytes(16).toString('hex'));
    await prepareRawDb(rawDb, rawGroups);
    const window = { warmupMs: WARMUP_SECONDS * 1000, durationMs: SECONDS * 1000 };

    // The servers' first thousands of requests run cold (V8 not yet optimising the hot paths, pools
    // still filling): round 1's gateway figures used to come out at 0.6-0.7 of round 2's, with a
    // half more CPU per request. One unmeasured run of each path first, the raw baseline's too.
    progress(`warming up: ${SERVER_WARMUP_SECONDS} s of purchases and of redemptions, unmeasured`);
    const warm = { warmupMs: 0, durationMs: SERVER_WARMUP_SECONDS * 1000 };
    await measureGateway(
      'warm-up',
      servers,
      gateway,
      {
        path: '/v1/purchases',
        token: () => tillToken,
        body: (c, n) => ({ purchaseId: `warm-${c}-${n}`, userId: users[c % GROUPS].userId, amount: '12.50' }),
      },
      warm,
    );
    await measureGateway(
      'warm-up',
      servers,
      gateway,
      {
        path: '/v1/redemptions',
        token: (c) => users[c % GROUPS].token,
        body: (c, n) => ({ redemptionId: `warm-${c}-${n}`, points: 1 }),
      },
      warm,
    );
    await runRawLoad(client, rawDb, {
      op: 'purchase',
      sessions: SESSIONS,
      group: (s, n) => rawGroups[s + SESSIONS * (n % 2)],
      ...warm,
    });

    for (let r = 0; r < ROUNDS; r++) {
      const figures: Record<string, Figure> = {};
      progress(`round ${r + 1}/${ROUNDS}: purchases`);
      figures['purchases-gateway'] = await measureGateway('purchases-gateway', servers, gateway, {
        path: '/v1/purchases',
        token: () => tillToken,
        body: (c, n) => ({
          purchaseId: `b${r}-${c}-${n}`,
          userId: users[c % GROUPS].userId,
          amount: '12.50',
        }),
      });
      figures['purchases-raw'] = await withInfra(() =>
        runRawLoad(client, rawDb, {
          op: 'purchase',
          sessions: SESSIONS,
          group: (s, n) => rawGroups[s + SESSIONS * (n % 2)],
          ...window,
        }),
      );
      progress(
        `  purchases-raw: ${figures['purchases-raw'].perSecond}/s p99 ${figures['purchases-raw'].p99Ms}ms`,
      );

      figures['purchases-in-process'] = await withInfra(() =>
        runInProcessPurchases({
          mongoUri: infra.mongoUri,
          dbName: `${config.dbName}_inproc`,
          sessions: SESSIONS,
          ...window,
        }),
      );
      progress(
        `  purchases-in-process: ${figures['purchases-in-process'].perSecond}/s p99 ${figures['purchases-in-process'].p99Ms}ms`,
      );

      progress('redemptions');
      figures['redemptions-gateway'] = await measureGateway('redemptions-gateway', servers, gateway, {
        path: '/v1/redemptions',
        token: (c) => users[c % GROUPS].token,
        body: (c, n) => ({ redemptionId: `r${r}-${c}-${n}`, points: 1 }),
      });
      figures['redemptions-raw'] = await runRawLoad(client, rawDb, {
        op: 'redemption',
        sessions: SESSIONS,
        group: (s, n) => rawGroups[s + SESSIONS * (n % 2)],
        ...window,
      });
      progress(
        `  redemptions-raw: ${figures['redemptions-raw'].perSecond}/s p99 ${figures['redemptions-raw'].p99Ms}ms`,
      );

      progress('hot-group redemptions');
      const hot = users[0];
      figures['hot-redemptions-gateway'] = await measureGateway('hot-redemptions-gateway', servers, gateway, {
        path: '/v1/redemptions',
        token: () => hot.token,
        body: (c, n) => ({ redemptionId: `hot${r}-${c}-${n}`, points: 1 }),
      });
      const loyaltyDb = client.db(config.dbName);
      const ledger = await snapshotGroupLedger(loyaltyDb, hot.groupId);
      const overdrafts =
        ledger.negativeLots +
        (ledger.balance < 0 ? 1 : 0) +
        Object.values(ledger.byPayer).filter((p) => p < 0).length;
      const consistent =
        ledger.entriesSum === ledger.balance &&
        ledger.lotsRemaining === ledger.balance &&
        ledger.entriesChainOk;
      Object.assign(figures['hot-redemptions-gateway'], { overdrafts, ledgerConsistent: consistent });
      progress(
        `  hot group after: balance ${ledger.balance}, overdrafts ${overdrafts}, consistent ${consistent}`,
      );
      figures['hot-redemptions-raw'] = await runRawLoad(client, rawDb, {
        op: 'redemption',
        sessions: SESSIONS,
        group: () => rawGroups[0],
        ...window,
      });
      progress(
        `  hot-redemptions-raw: ${figures['hot-redemptions-raw'].perSecond}/s p99 ${figures['hot-redemptions-raw'].p99Ms}ms`,
      );
      figures['hot-redemptions-raw-queued'] = await runRawLoad(client, rawDb, {
        op: 'redemption',
        sessions: SESSIONS,
        group: () => rawGroups[0],
        serializePerGroup: true,
        ...window,
      });
      progress(
        `  hot-redemptions-raw-queued: ${figures['hot-redemptions-raw-queued'].perSecond}/s p99 ${figures['hot-redemptions-raw-queued'].p99Ms}ms`,
      );
      rounds.push(figures);
    }
  } finally {
    for (const server of [...servers].reverse()) await server.stop().catch(() => undefined);
    await client
      .db(config.dbName)
      .dropDatabase()
      .catch(() => undefined);
    await rawDb.dropDatabase().catch(() => undefined);
    await client.close();
  }

  const figures = medians(rounds);
  const line = (figure: string, layout: string, extra: Record<string, unknown> = {}) => {
    const f = figures[figure];
    emit({
      figure,
      perSecond: f.perSecond,
      p50Ms: f.p50Ms,
      p90Ms: f.p90Ms,
      p99Ms: f.p99Ms,
      maxMs: f.maxMs,
      requests: f.requests,
      rounds: rounds.length,
      layout,
      ...(f.mongodCommandsPerOp === undefined
        ? {}
        : {
            mongodCommandsPerOp: f.mongodCommandsPerOp,
            commandsPerOp: f.commandsPerOp,
            commitsPerOp: f.commitsPerOp,
            infraCpuUsPerOp: f.infraCpuUsPerOp,
          }),
      ...extra,
    });
  };
  // Each round's ratio is of two figures measured minutes apart at most: the median of those.
  const ratio = (a: string, b: string) =>
    median(rounds.map((f) => round(f[a].perSecond / f[b].perSecond, 2)));
  const gatewayLayout = `gateway, auth, loyalty in three processes; ${CONNECTIONS} HTTP connections`;
  const rawLayout = `raw mongodb driver, ${SESSIONS} concurrent sessions, one transaction per operation`;
  line('purchases-raw', rawLayout + `, ${GROUPS} groups`, {
    conflictRetries: figures['purchases-raw'].conflictRetries,
    clientCpuUsPerTxn: figures['purchases-raw'].clientCpuUsPerTxn,
  });
  line(
    'purchases-in-process',
    `RecordPurchaseHandler called in-process, ${SESSIONS} concurrent, ${SESSIONS * 2} groups`,
    {
      baseline: 'purchases-raw',
      ratio: ratio('purchases-in-process', 'purchases-raw'),
      cpuUsPerOp: figures['purchases-in-process'].cpuUsPerOp,
    },
  );
  line('purchases-gateway', gatewayLayout + `, one API client naming ${GROUPS} members (one group each)`, {
    baseline: 'purchases-raw',
    ratio: ratio('purchases-gateway', 'purchases-raw'),
    target: 'ratio >= 0.7, p99 < 50 ms',
    cpuUsPerRequest: figures['purchases-gateway'].cpuUsPerRequest,
  });
  line('redemptions-raw', rawLayout + `, ${GROUPS} groups`, {
    conflictRetries: figures['redemptions-raw'].conflictRetries,
    clientCpuUsPerTxn: figures['redemptions-raw'].clientCpuUsPerTxn,
  });
  line('redemptions-gateway', gatewayLayout + `, ${GROUPS} groups`, {
    baseline: 'redemptions-raw',
    ratio: ratio('redemptions-gateway', 'redemptions-raw'),
    cpuUsPerRequest: figures['redemptions-gateway'].cpuUsPerRequest,
  });
  line('hot-redemptions-raw', rawLayout + ', one group (conflicts retried by withTransaction)', {
    conflictRetries: figures['hot-redemptions-raw'].conflictRetries,
    clientCpuUsPerTxn: figures['hot-redemptions-raw'].clientCpuUsPerTxn,
  });
  line('hot-redemptions-raw-queued', rawLayout + ', one group, queued per group in-process', {
    conflictRetries: figures['hot-redemptions-raw-queued'].conflictRetries,
    clientCpuUsPerTxn: figures['hot-redemptions-raw-queued'].clientCpuUsPerTxn,
  });
  const bestHot =
    figures['hot-redemptions-raw'].perSecond >= figures['hot-redemptions-raw-queued'].perSecond
      ? 'hot-redemptions-raw'
      : 'hot-redemptions-raw-queued';
  line('hot-redemptions-gateway', gatewayLayout + ', one group', {
    baseline: bestHot,
    ratio: ratio('hot-redemptions-gateway', bestHot),
    ratioToUnqueuedRaw: ratio('hot-redemptions-gateway', 'hot-redemptions-raw'),
    target: 'ratio >= 0.5, zero overdraft',
    overdrafts: figures['hot-redemptions-gateway'].overdrafts,
    ledgerConsistent: figures['hot-redemptions-gateway'].ledgerConsistent,
    cpuUsPerRequest: figures['hot-redemptions-gateway'].cpuUsPerRequest,
  });
}

/** Per figure, the median over rounds (requests summed; overdrafts the worst; consistent only if always). */
function medians(rounds: Array<Record<string, Figure>>): Record<string, Figure> {
  const out: Record<string, Figure> = {};
  for (const name of Object.keys(rounds[0])) {
    const all = rounds.map((r) => r[name]);
    const med = (pick: (f: Figure) => number | undefined) => median(all.map((f) => pick(f) ?? NaN));
    out[name] = {
      ...all[all.length - 1],
      perSecond: med((f) => f.perSecond),
      p50Ms: med((f) => f.p50Ms),
      p90Ms: med((f) => f.p90Ms),
      p99Ms: med((f) => f.p99Ms),
      maxMs: Math.max(...all.map((f) => f.maxMs)),
      requests: all.reduce((sum, f) => sum + f.requests, 0),
      ...(all[0].mongodCommandsPerOp === undefined
        ? {}
        : {
            mongodCommandsPerOp: med((f) => f.mongodCommandsPerOp),
            commitsPerOp: med((f) => f.commitsPerOp),
          }),
      ...(all[0].overdrafts === undefined
        ? {}
        : {
            overdrafts: Math.max(...all.map((f) => f.overdrafts ?? 0)),
            ledgerConsistent: all.every((f) => f.ledgerConsistent),
          }),
    };
  }
  return out;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (npm run bench provides it)`);
  return value;
}

const role = process.argv[2] as Role | undefined;
if (role === 'auth' || role === 'loyalty' || role === 'gateway') {
  serverChild(role).catch((err: unknown) => {
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
