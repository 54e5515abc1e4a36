/**
 * Identity over real HTTP, at 64 connections unless said otherwise:
 * - me-platform: `GET /v1/me` through the real gateway (helmet, CORS, request ids, metrics, the
 *   passport-jwt guard over our jose verifier with its verified-token cache) and one RPC to the
 *   real auth service (re-verifies the token, same lib and cache; reads the user by `_id`).
 *   Gateway and auth run in two processes, as deployed.
 * - me-baseline: the same work without NestJS or our libs (support/identity-baseline.ts): a bare
 *   Fastify front that verifies the RS256 token with jose on EVERY request (no cache), then one
 *   raw amqplib request/reply to a raw amqplib responder that reads the user by `_id` with the
 *   raw MongoDB driver. Front and responder run in two processes, the platform's layout.
 * - trivial-fastify: bare Fastify answering `GET /ping` with {ok:true}, for scale.
 * - login-platform: `POST /v1/auth/login` through the gateway at 16 connections, measured in the
 *   me-platform processes right after it. argon2id bounds it (~25 ms of CPU per login); each one
 *   also commits a login record, a refresh family and an outbox event, which the relay publishes
 *   to the events exchange (no queue is bound in this run: the broker drops them).
 * - login-wrong-password / login-unknown-user: failed logins through the gateway at 16
 *   connections, right after login-platform. Both must cost the same (an unknown user runs a
 *   dummy argon2 verify), so their latencies tell no one which usernames exist:
 *   login-failure-timing is their p50 ratio (unknown / wrong), which should stay near 1.
 * - me-ratio: me-platform / me-baseline requests per second; the goal is at least 0.7.
 *
 * Each round starts every server in fresh processes, and the load generator (a raw-socket
 * closed-loop HTTP/1.1 client, support/load-generator.ts) in another; the order of the
 * implementations alternates between rounds, and figures are medians over rounds (a shared 2-core
 * machine varies a lot). Per measurement: BENCH_WARMUP_SECONDS of warm-up, then BENCH_SECONDS
 * measured. Beforehand, a setup run of the platform registers and logs in 64 users; their tokens
 * (valid for 30 minutes) are spread over the connections, one token per connection. Everything
 * runs on a database, queue prefix and Redis key prefix of its own, removed at the end.
 *
 * stdout: one JSON line per figure, nothing else; progress goes to stderr. Besides latency,
 * figures carry each server process's CPU per request (`cpuUsPerRequest`, in microseconds) and
 * the load generator's own CPU share (`clientCpuShare`, of one core).
 * `machineBusyCores` is the whole machine's (from /proc/stat): RabbitMQ, MongoDB and anything else
 * running. The default run takes about 2.5 minutes.
 * Env: MONGODB_URI, REDIS_URL, RABBITMQ_URL (required; `npm run bench` provides them),
 * BENCH_ROUNDS (3), BENCH_SECONDS (8), BENCH_WARMUP_SECONDS (2), BENCH_IMPLS (all; a comma list
 * of trivial-fastify, me-baseline, me-platform, login-platform; login-platform brings the two
 * failed-login figures along), BENCH_CPU_PROF (a directory: the
 * server processes run with --cpu-prof and write their profiles there when they stop),
 * LOG_LEVEL of the servers (warn).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { connect } from 'amqplib';
import { MongoClient } from 'mongodb';
import { generateSigningKeyPem } from '../apps/auth/src/keys/generate-signing-key/generate-signing-key';
import { BenchConfig, CONFIG_ENV, RunningServer, readBenchConfig } from './support/identity-config';
import type { LoadResult, LoadSpec, RequestSpec } from './support/load-generator';
import { median, positiveInt, round } from './support/stats';
import { deleteRedisKeys } from './support/redis-cleanup';

const BENCH = 'identity';
const CONNECTIONS = 64;
const LOGIN_CONNECTIONS = 16;
const USERS = 64;
const PASSWORD = 'correct-horse-battery';
const ROUNDS = positiveInt('BENCH_ROUNDS', 3);
const SECONDS = positiveInt('BENCH_SECONDS', 8);
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP_SECONDS', 2);
const IMPLS = ['trivial-fastify', 'me-baseline', 'me-platform'] as const;
type ImplName = (typeof IMPLS)[number];
const LOGIN_FIGURES = ['login-platform', 'login-wrong-password', 'login-unknown-user'] as const;
const FIGURES = [...IMPLS, ...LOGIN_FIGURES] as const;
type FigureName = (typeof FIGURES)[number];
const SERVER_ROLES = ['trivial', 'front', 'responder', 'auth', 'gateway'] as const;
type ServerRole = (typeof SERVER_ROLES)[number];
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

const LAYOUT: Record<FigureName, string> = {
  'trivial-fastify': 'fastify in one process; load generator in another',
  'me-baseline':
    'fastify+jose+amqplib front in one process, amqplib+mongodb responder in another; load generator in a third',
  'me-platform': 'gateway in one process, auth in another; load generator in a third',
  'login-platform': 'the me-platform processes of the round, right after me-platform',
  'login-wrong-password': 'the me-platform processes of the round, right after login-platform',
  'login-unknown-user': 'the me-platform processes of the round, right after login-wrong-password',
};

const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Child processes: servers, each in a process of its own, and the load generator.

type ToChild = { type: 'cpu' } | { type: 'stop' } | { type: 'run'; spec: LoadSpec };
type FromChild =
  | { type: 'ready'; port: number }
  | { type: 'cpu'; usage: NodeJS.CpuUsage }
  | { type: 'window' }
  | { type: 'result'; result: LoadResult };

const live = new Set<ChildProcess>();
let interrupted: NodeJS.Signals | undefined;

class Child {
  private readonly waiters = new Map<FromChild['type'], Array<(msg: FromChild) => void>>();
  private readonly exited: Promise<number | string>;
  port = 0;

  constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    live.add(proc);
    proc.on('message', (msg: FromChild) => this.waiters.get(msg.type)?.shift()?.(msg));
    this.exited = new Promise((resolve) =>
      proc.on('exit', (code, signal) => {
        live.delete(proc);
        resolve(code ?? signal ?? 'unknown');
      }),
    );
  }

  static fork(role: ServerRole | 'load', env: NodeJS.ProcessEnv): Child {
    const dir = process.env.BENCH_CPU_PROF;
    const profiling = dir && role !== 'load' ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
    // The child's stdout goes to our stderr: only this process writes results.
    return new Child(
      role,
      fork(__filename, [role], { env, stdio: ['ignore', 2, 2, 'ipc'], execArgv: profiling }),
    );
  }

  /** The next message of this type, or a failure when the process exits or time is up first. */
  next<T extends FromChild['type']>(type: T, timeoutMs: number): Promise<Extract<FromChild, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no ${type} in ${timeoutMs}ms`)),
        timeoutMs,
      );
      const list = this.waiters.get(type) ?? [];
      this.waiters.set(type, list);
      const waiter = (msg: FromChild) => {
        clearTimeout(timer);
        resolve(msg as Extract<FromChild, { type: T }>);
      };
      list.push(waiter);
      void this.exited.then((how) => {
        clearTimeout(timer);
        const at = list.indexOf(waiter);
        if (at >= 0) list.splice(at, 1);
        reject(new Error(`${this.name} exited (${how}) before sending ${type}`));
      });
    });
  }

  send(msg: ToChild): void {
    this.proc.send(msg);
  }

  async cpu(): Promise<NodeJS.CpuUsage> {
    const reply = this.next('cpu', 5000);
    this.send({ type: 'cpu' });
    return (await reply).usage;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.send({ type: 'stop' } satisfies ToChild, () => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

async function startServer(role: ServerRole, env: NodeJS.ProcessEnv): Promise<Child> {
  const child = Child.fork(role, env);
  try {
    child.port = (await child.next('ready', START_TIMEOUT_MS)).port;
    return child;
  } catch (err) {
    await child.stop();
    throw err;
  }
}

async function stopAll(children: Child[]): Promise<void> {
  // Front before back: the gateway before auth, the front before the responder.
  for (const child of [...children].reverse()) await child.stop();
}

/** In a server role's process: start it, report its port, answer CPU samples, stop on request. */
async function serverChild(role: ServerRole): Promise<void> {
  process.on('disconnect', () => process.exit(1)); // the coordinator is gone
  const config = readBenchConfig();
  let server: RunningServer;
  if (role === 'auth' || role === 'gateway') {
    // Loaded only here: the baseline's processes never load Nest or our libs.
    const platform = await import('./support/identity-platform');
    server = await (role === 'auth' ? platform.startAuth : platform.startGateway)(config);
  } else {
    const baseline = await import('./support/identity-baseline');
    if (role === 'trivial') server = await baseline.startTrivial();
    else server = await (role === 'front' ? baseline.startFront : baseline.startResponder)(config);
  }
  await new Promise<void>((resolve) => {
    process.on('message', (msg: ToChild) => {
      if (msg.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() } satisfies FromChild);
      if (msg.type === 'stop') void server.close().finally(resolve);
    });
    process.send!({ type: 'ready', port: server.port } satisfies FromChild);
  });
}

/** In the load generator's process: one run, its result, exit. */
async function loadChild(): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  const { runLoad } = await import('./support/load-generator');
  const msg = await new Promise<ToChild>((resolve) => process.once('message', resolve));
  if (msg.type !== 'run') throw new Error(`unexpected ${msg.type}`);
  const windowTimer = setTimeout(
    () => process.send!({ type: 'window' } satisfies FromChild),
    msg.spec.warmupMs,
  );
  const result = await runLoad(msg.spec);
  clearTimeout(windowTimer);
  await new Promise<void>((resolve, reject) =>
    process.send!({ type: 'result', result } satisfies FromChild, (err: Error | null) =>
      err ? reject(err) : resolve(),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// One measurement: a load generator process against servers already running.

interface Measurement extends LoadResult {
  /** CPU each server process spent per counted request, in microseconds. */
  cpuUsPerRequest: Record<string, number>;
  /** The whole machine's busy cores during the window (Linux /proc/stat), when readable. */
  machineBusyCores?: number;
}

async function measure(
  what: string,
  servers: Child[],
  target: Child,
  connections: number,
  requests: RequestSpec[],
  expectStatus: number,
  env: NodeJS.ProcessEnv,
): Promise<Measurement> {
  const spec: LoadSpec = {
    host: '127.0.0.1',
    port: target.port,
    connections,
    requests,
    expectStatus,
    warmupMs: WARMUP_SECONDS * 1000,
    durationMs: SECONDS * 1000,
  };
  const load = Child.fork('load', env);
  try {
    const windowStart = load.next('window', spec.warmupMs + 30_000);
    const result = load.next('result', spec.warmupMs + spec.durationMs + 60_000);
    result.catch(() => undefined); // awaited below, after the window's start
    load.send({ type: 'run', spec });
    await windowStart;
    const [cpu0, stat0] = [await Promise.all(servers.map((s) => s.cpu())), machineStat()];
    const { result: r } = await result;
    const [cpu1, stat1] = [await Promise.all(servers.map((s) => s.cpu())), machineStat()];
    if (r.errors || r.warmupErrors || !r.requests) {
      throw new Error(
        `${what}: ${r.errors} failed of ${r.requests} (and ${r.warmupErrors} in warm-up); statuses ${JSON.stringify(r.statuses)}`,
      );
    }
    const cpuUsPerRequest: Record<string, number> = {};
    servers.forEach((s, i) => {
      const us = cpu1[i].user + cpu1[i].system - cpu0[i].user - cpu0[i].system;
      cpuUsPerRequest[s.name] = round(us / r.requests, 1);
    });
    const machineBusyCores =
      stat0 && stat1
        ? round(((stat1.busy - stat0.busy) / (stat1.total - stat0.total)) * os.cpus().length, 2)
        : undefined;
    progress(
      `  ${what}: ${r.perSecond}/s, p50 ${r.p50Ms}ms, p99 ${r.p99Ms}ms; CPU µs/request ${JSON.stringify(cpuUsPerRequest)}, ` +
        `load generator ${r.clientCpuShare} core, machine ${machineBusyCores ?? '?'} cores busy`,
    );
    return { ...r, cpuUsPerRequest, machineBusyCores };
  } finally {
    await load.stop();
  }
}

function machineStat(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'latin1')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The implementations, one round each.

interface Users {
  tokens: string[];
  usernames: string[];
  /** User 0's profile as the platform answers it: both implementations must answer the same. */
  profile: unknown;
}

type RoundResult = Partial<Record<FigureName, Measurement>>;

const meRequests = (users: Users): RequestSpec[] =>
  users.tokens.map((token) => ({
    method: 'GET',
    path: '/v1/me',
    headers: { Authorization: `Bearer ${token}` },
  }));

async function checkProfile(impl: string, port: number, users: Users): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/me`, {
    headers: { Authorization: `Bearer ${users.tokens[0]}` },
  });
  const body: unknown = await res.json();
  if (res.status !== 200 || !isDeepStrictEqual(body, users.profile)) {
    throw new Error(`${impl}: GET /v1/me answered ${res.status} ${JSON.stringify(body)}`);
  }
}

async function runImpl(
  impl: ImplName,
  env: NodeJS.ProcessEnv,
  users: Users,
  figures: Set<FigureName>,
): Promise<RoundResult> {
  const servers: Child[] = [];
  const start = async (role: ServerRole) => {
    const child = await startServer(role, env);
    servers.push(child);
    return child;
  };
  try {
    if (impl === 'trivial-fastify') {
      const server = await start('trivial');
      const ping: RequestSpec = { method: 'GET', path: '/ping' };
      return { [impl]: await measure(impl, servers, server, CONNECTIONS, [ping], 200, env) };
    }
    if (impl === 'me-baseline') {
      await start('responder');
      const front = await start('front');
      await checkProfile(impl, front.port, users);
      return { [impl]: await measure(impl, servers, front, CONNECTIONS, meRequests(users), 200, env) };
    }
    await start('auth');
    const gateway = await start('gateway');
    await checkProfile(impl, gateway.port, users);
    const result: RoundResult = {};
    if (figures.has(impl)) {
      result[impl] = await measure(impl, servers, gateway, CONNECTIONS, meRequests(users), 200, env);
    }
    if (!figures.has('login-platform')) return result;
    const logins: RequestSpec[] = users.usernames.map((username) => ({
      method: 'POST',
      path: '/v1/auth/login',
      body: JSON.stringify({ username, password: PASSWORD }),
    }));
    result['login-platform'] = await measure(
      'login-platform',
      servers,
      gateway,
      LOGIN_CONNECTIONS,
      logins,
      200,
      env,
    );
    const failedLogin = (username: string): RequestSpec => ({
      method: 'POST',
      path: '/v1/auth/login',
      body: JSON.stringify({ username, password: 'not-the-password' }),
    });
    result['login-wrong-password'] = await measure(
      'login-wrong-password',
      servers,
      gateway,
      LOGIN_CONNECTIONS,
      users.usernames.map(failedLogin),
      401,
      env,
    );
    result['login-unknown-user'] = await measure(
      'login-unknown-user',
      servers,
      gateway,
      LOGIN_CONNECTIONS,
      users.usernames.map((u) => failedLogin(`nobody-${u}`.slice(0, 32))),
      401,
      env,
    );
    return result;
  } finally {
    await stopAll(servers);
  }
}

/** Registers and logs in the users, on a platform of its own (its processes stop afterwards). */
async function setUpUsers(env: NodeJS.ProcessEnv, id: string): Promise<Users> {
  const servers = [await startServer('auth', env)];
  try {
    const gateway = await startServer('gateway', env);
    servers.push(gateway);
    const post = async (path: string, body: unknown, expect: number) => {
      const res = await fetch(`http://127.0.0.1:${gateway.port}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status !== expect) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const usernames = Array.from({ length: USERS }, (_, i) => `b${id}.u${i}`);
    const tokens: string[] = new Array<string>(USERS);
    let next = 0;
    const worker = async () => {
      while (next < USERS) {
        const i = next++;
        const username = usernames[i];
        await post(
          '/v1/auth/register',
          { username, password: PASSWORD, email: `${username}@example.com` },
          201,
        );
        tokens[i] = (await post('/v1/auth/login', { username, password: PASSWORD }, 200))
          .accessToken as string;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const res = await fetch(`http://127.0.0.1:${gateway.port}/v1/me`, {
      headers: { Authorization: `Bearer ${tokens[0]}` },
    });
    const profile: unknown = await res.json();
    if (res.status !== 200) throw new Error(`GET /v1/me: ${res.status} ${JSON.stringify(profile)}`);
    return { tokens, usernames, profile };
  } finally {
    await stopAll(servers);
  }
}

async function cleanUp(config: BenchConfig): Promise<void> {
  const mongo = async () => {
    const client = await new MongoClient(config.mongoUri).connect();
    try {
      await client.db(config.dbName).dropDatabase();
    } finally {
      await client.close();
    }
  };
  const broker = async () => {
    const connection = await connect(config.rabbitUrl);
    try {
      const channel = await connection.createChannel();
      for (const queue of ['rpc.auth', 'baseline.me']) await channel.deleteQueue(`${config.prefix}${queue}`);
      for (const exchange of ['loyalty.events', 'loyalty.dlx']) {
        await channel.deleteExchange(`${config.prefix}${exchange}`);
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

// ---------------------------------------------------------------------------------------------
// Coordinator: setup, alternating rounds, medians, JSON lines on stdout.

/** BENCH_IMPLS: the figures to measure; login-platform runs in me-platform's processes. */
function selectedFigures(): Set<FigureName> {
  const raw = process.env.BENCH_IMPLS;
  if (!raw) return new Set(FIGURES);
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(FIGURES as readonly string[]).includes(n));
  if (unknown.length)
    throw new Error(`BENCH_IMPLS: unknown ${unknown.join(', ')}; known: ${FIGURES.join(', ')}`);
  return new Set(names as FigureName[]);
}

async function coordinator(infra: { mongoUri: string; redisUrl: string; rabbitUrl: string }): Promise<void> {
  const figures = selectedFigures();
  const impls = IMPLS.filter(
    (impl) => figures.has(impl) || (impl === 'me-platform' && figures.has('login-platform')),
  );
  const id = randomBytes(4).toString('hex');
  const config: BenchConfig = {
    ...infra,
    dbName: `bench_identity_${id}`,
    prefix: `bench.identity.${id}.`,
    signingKeyPem: generateSigningKeyPem(),
    jwt: { issuer: 'loyalty-platform', audience: 'loyalty-api' },
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [CONFIG_ENV]: JSON.stringify(config),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      interrupted = sig;
      for (const proc of live) proc.kill('SIGKILL');
    });
  }
  progress(
    `${ROUNDS} rounds of ${impls.join(', ')} (alternating, fresh processes), ${WARMUP_SECONDS}s warm-up + ` +
      `${SECONDS}s each, ${CONNECTIONS} connections (login: ${LOGIN_CONNECTIONS}); database ${config.dbName}, prefix ${config.prefix}`,
  );
  const rounds: RoundResult[] = [];
  try {
    progress(`setup: registering and logging in ${USERS} users`);
    const users = await setUpUsers(env, id);
    for (let i = 0; i < ROUNDS && !interrupted; i++) {
      progress(`round ${i + 1}/${ROUNDS}`);
      const order = i % 2 === 0 ? impls : [...impls].reverse();
      const round: RoundResult = {};
      for (const impl of order) Object.assign(round, await runImpl(impl, env, users, figures));
      rounds.push(round);
    }
  } finally {
    for (const proc of live) proc.kill('SIGKILL');
    await cleanUp(config);
  }
  if (interrupted) throw new Error(`interrupted (${interrupted})`);

  const emit = (line: Record<string, unknown>) =>
    process.stdout.write(`${JSON.stringify({ bench: BENCH, ...line })}\n`);
  const summary = (name: FigureName) => {
    const figures = rounds.map((r) => r[name]).filter((m): m is Measurement => !!m);
    if (!figures.length) return undefined;
    const med = (pick: (m: Measurement) => number) => median(figures.map(pick));
    const processes = Object.keys(figures[0].cpuUsPerRequest);
    const machine = figures.map((f) => f.machineBusyCores).filter((v): v is number => v !== undefined);
    return {
      figure: name,
      connections: (LOGIN_FIGURES as readonly string[]).includes(name) ? LOGIN_CONNECTIONS : CONNECTIONS,
      rounds: figures.length,
      requests: figures.reduce((sum, f) => sum + f.requests, 0),
      errors: figures.reduce((sum, f) => sum + f.errors, 0),
      perSecond: med((f) => f.perSecond),
      p50Ms: med((f) => f.p50Ms),
      p90Ms: med((f) => f.p90Ms),
      p99Ms: med((f) => f.p99Ms),
      maxMs: Math.max(...figures.map((f) => f.maxMs)),
      perSecondByRound: figures.map((f) => f.perSecond),
      cpuUsPerRequest: Object.fromEntries(processes.map((p) => [p, med((f) => f.cpuUsPerRequest[p])])),
      clientCpuShare: med((f) => f.clientCpuShare),
      machineBusyCores: machine.length ? median(machine) : undefined,
      layout: LAYOUT[name],
      ...(name === 'me-baseline' ? { tokenVerification: 'jose RS256 on every request, no cache' } : {}),
      ...(name === 'me-platform'
        ? {
            tokenVerification:
              'gateway and auth each: jose RS256 once per token, then their verified-token cache',
          }
        : {}),
    };
  };
  const lines = FIGURES.map(summary).filter((line) => line !== undefined);
  for (const line of lines) emit(line);
  const baseline = lines.find((l) => l.figure === 'me-baseline');
  const platform = lines.find((l) => l.figure === 'me-platform');
  if (baseline && platform) {
    const ratio = round(platform.perSecond / baseline.perSecond, 2);
    emit({
      figure: 'me-ratio',
      ratio,
      goal: 0.7,
      meetsGoal: ratio >= 0.7,
      ratioByRound: rounds.map((r) => round(r['me-platform']!.perSecond / r['me-baseline']!.perSecond, 2)),
    });
  }
  const wrong = lines.find((l) => l.figure === 'login-wrong-password');
  const unknown = lines.find((l) => l.figure === 'login-unknown-user');
  if (wrong && unknown) {
    emit({
      figure: 'login-failure-timing',
      p50Ratio: round(unknown.p50Ms / wrong.p50Ms, 2),
      p99Ratio: round(unknown.p99Ms / wrong.p99Ms, 2),
      meaning: 'unknown user / wrong password latency; near 1 means the two are indistinguishable',
    });
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const role = process.argv[2];
  if (role === 'load') return loadChild();
  if (role) {
    if (!(SERVER_ROLES as readonly string[]).includes(role) || !process.send)
      throw new Error(`unknown role ${role}`);
    return serverChild(role as ServerRole);
  }
  const { MONGODB_URI, REDIS_URL, RABBITMQ_URL } = process.env;
  if (!MONGODB_URI || !REDIS_URL || !RABBITMQ_URL) {
    throw new Error('MONGODB_URI, REDIS_URL and RABBITMQ_URL must be set (`npm run bench` provides them)');
  }
  return coordinator({ mongoUri: MONGODB_URI, redisUrl: REDIS_URL, rabbitUrl: RABBITMQ_URL });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (interrupted) {
      process.stderr.write(`[bench] ${BENCH}: interrupted, cleaned up\n`);
      process.exit(128 + (os.constants.signals[interrupted] ?? 1));
    }
    const who = process.argv[2] ? `${BENCH} (${process.argv[2]})` : BENCH;
    process.stderr.write(
      `[bench] ${who} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
