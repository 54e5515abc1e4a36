/**
 * RPC round trip through our messaging lib (a Nest microservice on AmqpRpcServer serving the ping
 * @MessagePattern, called with RpcClient) vs a raw amqplib request/reply doing the same work (JSON
 * in and out, direct reply-to, correlation ids, prefetch 64 with a manual ack after the reply),
 * against the real RabbitMQ at RABBITMQ_URL. Server and client live in one process, each with its
 * own connection, as two apps would.
 *
 * Each implementation runs in a fresh process per round, and rounds alternate (A B, B A, A B...):
 * - our server runs every request in an AsyncLocalStorage context, which on Node 20 turns promise
 *   hooks on for the whole process, for good: the baseline must not pay for it;
 * - on a shared 2-core machine a single run varies by ±30%: the figures are medians over rounds.
 * Per round: WARMUP calls, then BENCH_ROUND_TRIPS calls with 64 in flight (at most
 * BENCH_MAX_SECONDS), then up to SINGLE_ROUND_TRIPS calls with 1 in flight (at most SINGLE_MAX_MS).
 *
 * stdout: one JSON line per figure, nothing else; progress goes to stderr.
 * Env: RABBITMQ_URL (required), BENCH_ROUNDS (3), BENCH_ROUND_TRIPS (40000), BENCH_MAX_SECONDS (8).
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import pino from 'pino';
import { RPC, type RpcReply } from '@lib/contracts';
import { AmqpConnection, AmqpRpcServer, PassThroughRpcErrors, RpcClient, Topology } from '@lib/messaging';
import { Metrics } from '@lib/observability';
import { pingRpcController } from '@lib/runtime';
import { median, positiveInt, round } from './support/stats';

const BENCH = 'rpc-round-trip';
const SERVICE = 'loyalty';
const PATTERN = RPC.loyalty.ping;
const REPLY_TO = 'amq.rabbitmq.reply-to';
const PREFETCH = 64;
const IN_FLIGHT = 64;
const ROUNDS = positiveInt('BENCH_ROUNDS', 3);
const ROUND_TRIPS = positiveInt('BENCH_ROUND_TRIPS', 40_000);
const MAX_MS = positiveInt('BENCH_MAX_SECONDS', 8) * 1000;
const WARMUP = 1_000;
const SINGLE_ROUND_TRIPS = 1_000;
const SINGLE_MAX_MS = 3_000;
/** One round of one implementation: connect, warm up, both measurements, clean up. */
const ROUND_TIMEOUT_MS = 2 * MAX_MS + SINGLE_MAX_MS + 60_000;
const REQUEST = { body: { ping: true } };
const IMPLS = ['raw-amqplib', 'messaging-lib'] as const;
type ImplName = (typeof IMPLS)[number];

type Call = () => Promise<unknown>;

interface Impl {
  call: Call;
  stop(): Promise<void>;
}

interface Figure {
  roundTrips: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time of the whole process (client and server sides, GC) per round trip. */
  cpuUsPerCall: number;
}

interface RoundResult {
  loaded: Figure;
  single: Figure;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Measurement

/** `inFlight` loops each making one call at a time, until `total` calls or `maxMs` have gone by. */
async function drive(call: Call, total: number, inFlight: number, maxMs: number): Promise<Figure> {
  const latenciesNs = new Float64Array(total);
  let started = 0;
  let done = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(maxMs) * 1_000_000n;
  const loop = async () => {
    while (started < total && process.hrtime.bigint() < deadline) {
      started++;
      const callStarted = process.hrtime.bigint();
      try {
        await call();
      } catch {
        errors++;
      }
      latenciesNs[done++] = Number(process.hrtime.bigint() - callStarted);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  const elapsedNs = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  const sorted = latenciesNs.subarray(0, done).sort();
  const ms = (ns: number) => round(ns / 1e6, 3);
  const pct = (p: number) => ms(sorted[Math.max(0, Math.ceil((p / 100) * done) - 1)]);
  return {
    roundTrips: done,
    errors,
    perSecond: Math.round(done / (elapsedNs / 1e9)),
    p50Ms: pct(50),
    p90Ms: pct(90),
    p99Ms: pct(99),
    maxMs: ms(sorted[done - 1]),
    cpuUsPerCall: round((cpu.user + cpu.system) / done, 1),
  };
}

async function runRound(name: ImplName, impl: Impl): Promise<RoundResult> {
  const warm = await drive(impl.call, WARMUP, IN_FLIGHT, MAX_MS);
  if (warm.errors) throw new Error(`${warm.errors} of ${WARMUP} warm-up calls failed`);
  const loaded = await drive(impl.call, ROUND_TRIPS, IN_FLIGHT, MAX_MS);
  const single = await drive(impl.call, SINGLE_ROUND_TRIPS, 1, SINGLE_MAX_MS);
  if (loaded.errors || single.errors) throw new Error(`${loaded.errors + single.errors} calls failed`);
  progress(
    `  ${name}: ${loaded.perSecond}/s at ${IN_FLIGHT} in flight, p50 ${single.p50Ms}ms at 1 in flight`,
  );
  return { loaded, single };
}

// ---------------------------------------------------------------------------------------------
// Ours: a Nest microservice on AmqpRpcServer serving the ping @MessagePattern, and RpcClient.
// Server and client have their own connection and metrics, as two apps would.

@Module({ controllers: [pingRpcController(SERVICE, PATTERN)] })
class BenchRpcModule {}

async function messagingLib(url: string, topology: Topology): Promise<Impl> {
  const logger = pino({ level: 'silent' });
  const serverAmqp = new AmqpConnection({ url, name: `${topology.prefix}server`, logger });
  const clientAmqp = new AmqpConnection({ url, name: `${topology.prefix}client`, logger });
  let app: Awaited<ReturnType<typeof NestFactory.createMicroservice>> | undefined;
  let client: RpcClient | undefined;
  const stop = async () => {
    client?.close();
    await app?.close();
    await Promise.all([serverAmqp.close(), clientAmqp.close()]);
  };
  try {
    for (const amqp of [serverAmqp, clientAmqp]) {
      amqp.start();
      await amqp.waitUntilConnected();
    }
    app = await NestFactory.createMicroservice(BenchRpcModule, {
      strategy: new AmqpRpcServer({
        service: SERVICE,
        amqp: serverAmqp,
        topology,
        logger,
        metrics: new Metrics('bench-server', false),
      }),
      logger: false,
    });
    app.useGlobalFilters(new PassThroughRpcErrors());
    await app.listen();
    const rpc = new RpcClient(clientAmqp, topology, new Metrics('bench-client', false));
    await rpc.init();
    client = rpc;
    return { call: () => rpc.send(SERVICE, PATTERN, REQUEST), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Baseline: raw amqplib, the same work and nothing else: no deadline, metrics, request context or Nest.

/** Keep in line with the socket options AmqpConnection passes to amqplib's connect(). */
const RAW_SOCKET_OPTIONS = { noDelay: true };

async function rawAmqplib(url: string, topology: Topology): Promise<Impl> {
  const queue = rawQueue(topology);
  const connections: ChannelModel[] = [];
  const stop = async () => {
    await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
  };
  try {
    const server = await connect(url, {
      ...RAW_SOCKET_OPTIONS,
      clientProperties: { connection_name: `${queue}.server` },
    });
    connections.push(server);
    const serverChannel = await server.createChannel();
    await serverChannel.assertQueue(queue, { durable: true });
    await serverChannel.prefetch(PREFETCH);
    await serverChannel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        JSON.parse(msg.content.toString());
        const reply: RpcReply = { ok: true, data: { service: SERVICE, at: new Date().toISOString() } };
        serverChannel.sendToQueue(msg.properties.replyTo as string, Buffer.from(JSON.stringify(reply)), {
          correlationId: msg.properties.correlationId as string,
          contentType: 'application/json',
        });
        serverChannel.ack(msg);
      },
      { noAck: false },
    );

    const clientConnection = await connect(url, {
      ...RAW_SOCKET_OPTIONS,
      clientProperties: { connection_name: `${queue}.client` },
    });
    connections.push(clientConnection);
    const channel = await clientConnection.createChannel();
    const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    await channel.consume(
      REPLY_TO,
      (msg: ConsumeMessage | null) => {
        if (!msg) return;
        const id = msg.properties.correlationId as string;
        const waiter = pending.get(id);
        if (!waiter) return;
        pending.delete(id);
        const reply = JSON.parse(msg.content.toString()) as RpcReply;
        if (reply.ok) waiter.resolve(reply.data);
        else waiter.reject(new Error(reply.error.code));
      },
      { noAck: true },
    );
    const call = () =>
      new Promise<unknown>((resolve, reject) => {
        const correlationId = randomUUID();
        pending.set(correlationId, { resolve, reject });
        channel.publish('', queue, Buffer.from(JSON.stringify(REQUEST)), {
          correlationId,
          replyTo: REPLY_TO,
          contentType: 'application/json',
        });
      });
    return { call, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const rawQueue = (topology: Topology) => topology.consumerQueue('raw.rpc');
const queuesOf = (topology: Topology) => [rawQueue(topology), topology.rpcQueue(SERVICE)];

async function deleteQueues(url: string, topology: Topology): Promise<void> {
  const admin = await connect(url, { clientProperties: { connection_name: `${topology.prefix}admin` } });
  try {
    const channel = await admin.createChannel();
    for (const queue of queuesOf(topology)) await channel.deleteQueue(queue);
  } finally {
    await admin.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// One round, in a child process: the result goes to the coordinator over IPC.

async function child(name: ImplName, url: string, topology: Topology): Promise<void> {
  process.on('disconnect', () => process.exit(1)); // the coordinator is gone
  const impl = await (name === 'raw-amqplib' ? rawAmqplib : messagingLib)(url, topology);
  let result: RoundResult;
  try {
    result = await runRound(name, impl);
  } finally {
    await impl.stop();
  }
  await new Promise<void>((resolve, reject) =>
    process.send!(result, (err: Error | null) => (err ? reject(err) : resolve())),
  );
}

// ---------------------------------------------------------------------------------------------
// Coordinator: alternating rounds, medians, JSON lines on stdout.

let current: ChildProcess | undefined;
let interrupted: NodeJS.Signals | undefined;

function runChild(name: ImplName, env: NodeJS.ProcessEnv): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    // The child's stdout goes to our stderr: only this process writes results.
    const proc = fork(__filename, [name], { env, stdio: ['ignore', 2, 2, 'ipc'] });
    current = proc;
    let result: RoundResult | undefined;
    const timer = setTimeout(() => proc.kill('SIGKILL'), ROUND_TIMEOUT_MS);
    proc.on('message', (msg: RoundResult) => (result = msg));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      if (code === 0 && result) resolve(result);
      else reject(new Error(`the ${name} round failed (exit ${code ?? signal})`));
    });
  });
}

async function coordinator(url: string): Promise<void> {
  const topology = new Topology(`bench.${randomBytes(4).toString('hex')}.`);
  const env = { ...process.env, BENCH_PREFIX: topology.prefix };
  // Ctrl-C/SIGTERM: stop the round in progress, then the normal path deletes the queues.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      interrupted = sig;
      current?.kill('SIGKILL');
    });
  }
  progress(
    `${ROUNDS} rounds of ${IMPLS.join(' vs ')}, each a fresh process: ${ROUND_TRIPS} round trips with ` +
      `${IN_FLIGHT} in flight (at most ${MAX_MS / 1000}s), then 1 in flight (at most ${SINGLE_MAX_MS / 1000}s); ` +
      `queues ${queuesOf(topology).join(', ')}`,
  );
  const results = new Map<ImplName, RoundResult[]>(IMPLS.map((name) => [name, []]));
  try {
    for (let i = 0; i < ROUNDS; i++) {
      if (interrupted) break;
      progress(`round ${i + 1}/${ROUNDS}`);
      const order = i % 2 === 0 ? IMPLS : [...IMPLS].reverse();
      for (const name of order) results.get(name)!.push(await runChild(name, env));
    }
  } finally {
    await deleteQueues(url, topology);
  }
  if (interrupted) throw new Error(`interrupted (${interrupted})`);

  const emit = (line: Record<string, unknown>) =>
    process.stdout.write(`${JSON.stringify({ bench: BENCH, ...line })}\n`);
  const summary = (figures: Figure[]) => {
    const med = (key: keyof Figure) => median(figures.map((f) => f[key]));
    return {
      rounds: figures.length,
      roundTrips: figures.reduce((sum, f) => sum + f.roundTrips, 0),
      perSecond: med('perSecond'),
      p50Ms: med('p50Ms'),
      p90Ms: med('p90Ms'),
      p99Ms: med('p99Ms'),
      maxMs: Math.max(...figures.map((f) => f.maxMs)),
      cpuUsPerCall: med('cpuUsPerCall'),
      perSecondByRound: figures.map((f) => f.perSecond),
    };
  };
  const loaded = new Map(IMPLS.map((name) => [name, summary(results.get(name)!.map((r) => r.loaded))]));
  for (const name of IMPLS) emit({ impl: name, inFlight: IN_FLIGHT, ...loaded.get(name) });
  for (const name of IMPLS) {
    // At 1 in flight the process mostly waits: its CPU per call is mostly fixed overhead, left out.
    const { cpuUsPerCall: _, ...single } = summary(results.get(name)!.map((r) => r.single));
    emit({ impl: name, inFlight: 1, ...single });
  }
  const raw = loaded.get('raw-amqplib')!;
  const ours = loaded.get('messaging-lib')!;
  emit({
    figure: 'ratio',
    inFlight: IN_FLIGHT,
    messagingLibVsRaw: round(ours.perSecond / raw.perSecond, 2),
    cpuPerCallVsRaw: round(ours.cpuUsPerCall / raw.cpuUsPerCall, 2),
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const url = process.env.RABBITMQ_URL;
  if (!url) throw new Error('RABBITMQ_URL is not set (`npm run bench` provides it)');
  const role = process.argv[2];
  if (!role) return coordinator(url);
  if (!(IMPLS as readonly string[]).includes(role) || !process.send) throw new Error(`unknown role ${role}`);
  return child(role as ImplName, url, new Topology(process.env.BENCH_PREFIX));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (interrupted) {
      // The round in progress failed because we stopped it: not worth a stack trace.
      process.stderr.write(`[bench] ${BENCH}: interrupted, queues deleted\n`);
      process.exit(128 + (os.constants.signals[interrupted] ?? 1));
    }
    const who = process.argv[2] ? `${BENCH} (${process.argv[2]})` : BENCH;
    process.stderr.write(
      `[bench] ${who} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
