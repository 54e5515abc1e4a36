/**
 * Webhook delivery throughput and latency (issue 19): the real dispatcher (its module, as main.ts
 * builds it, in a process of its own) consumes `loyalty.purchase.recorded` events published to the
 * events exchange, and delivers them, signed, to a local receiver (another process) that answers
 * 200 at once. Three figures per round, each with its baseline from the same round:
 * - raw-http: the same signed bodies POSTed by a bare keep-alive node:http client at the same
 *   concurrency per endpoint: the ceiling of the receiver and the HTTP stack (baseline of solo);
 * - solo: a burst of BENCH_WEBHOOK_EVENTS events to one endpoint: deliveries/s from the first
 *   publish to the last receipt, and p50/p99 from each event's occurredAt to its receipt;
 * - with-slow: the same, while a second endpoint subscribed to the same events takes 2 s per
 *   request: the fast endpoint's rate must stay at least 0.9× its solo rate (baseline: solo);
 * - paced: 500 events/s for 5 s, below saturation: event→receipt latency without a backlog (a
 *   burst's p50/p99 are mostly its own queue).
 * Rounds alternate the order of solo and with-slow; the figures are medians over rounds.
 *
 * stdout: one JSON line per figure; progress goes to stderr.
 * Env: MONGODB_URI, RABBITMQ_URL, REDIS_URL (required), BENCH_ROUNDS (3), BENCH_WEBHOOK_EVENTS (5000).
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'amqplib';
import { MongoClient } from 'mongodb';
import { EVENTS } from '@lib/contracts';
import { AmqpConnection, Topology } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { WebhookDispatcherModule } from '../apps/webhook-dispatcher/src/webhook-dispatcher.module';
import { WebhookSigner } from '../apps/webhook-dispatcher/src/webhooks/domain/signature';
import { median, positiveInt, round } from './support/stats';

const BENCH = 'webhooks';
const ROUNDS = positiveInt('BENCH_ROUNDS', 3);
const EVENTS_PER_BURST = positiveInt('BENCH_WEBHOOK_EVENTS', 5_000);
const CONCURRENCY = 16;
const SLOW_MS = 2_000;
/** The paced figure: events at this rate, for this long (latency without a backlog). */
const PACED_PER_SECOND = 500;
const PACED_SECONDS = 5;
const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);

interface RunConfig {
  mongoUri: string;
  redisUrl: string;
  rabbitUrl: string;
  dbName: string;
  prefix: string;
}

// ---------------------------------------------------------------------------------------------
// The receiver process: two endpoints, /fast (200 at once) and /slow (200 after 2 s). It reports,
// per run id, the receipts of /fast: webhook-id and event→receipt latency.

interface Receipt {
  id: string;
  latencyMs: number;
  at: number;
}

function receiverChild(): void {
  const fast: Receipt[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/slow') {
        setTimeout(() => res.writeHead(200).end(), SLOW_MS);
        return;
      }
      const now = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { timestamp: string };
      fast.push({
        id: String(req.headers['webhook-id']),
        latencyMs: now - Date.parse(body.timestamp),
        at: now,
      });
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', (msg: { take?: boolean }) => {
    if (msg.take) process.send!({ receipts: fast.splice(0) });
  });
}

// ---------------------------------------------------------------------------------------------
// The dispatcher process.

async function dispatcherChild(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_WEBHOOKS_CONFIG!) as RunConfig;
  const app = await createApp(
    WebhookDispatcherModule.register(
      {
        app: 'webhook-dispatcher',
        port: 0,
        mongoUri: config.mongoUri,
        mongoDb: config.dbName,
        redisUrl: config.redisUrl,
        rabbitUrl: config.rabbitUrl,
        namePrefix: config.prefix,
        rpcTimeoutMs: 5000,
        rabbitQueueType: 'classic',
        corsOrigins: [],
        jwt: { issuer: 'bench', audience: 'bench' },
        adminConsoleDir: 'dist/admin-console',
      },
      {
        WEBHOOKS_ALLOW_HTTP: 'true',
        WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '127.0.0.0/8',
        WEBHOOKS_ENDPOINT_CONCURRENCY: String(CONCURRENCY),
      },
    ),
    { rpcService: 'webhooks' },
  );
  await app.init();
  await app.startAllMicroservices();
  await app.get(AmqpConnection).waitUntilConnected(30_000);
  process.send!({ ready: true });
  process.on('message', (msg: { stop?: boolean }) => {
    if (msg.stop) void app.close().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------------------------
// The coordinator.

function startChild(
  role: 'receiver' | 'dispatcher',
  env: NodeJS.ProcessEnv,
): Promise<{ proc: ChildProcess; first: any }> {
  const execArgv =
    role === 'dispatcher' && process.env.BENCH_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : [];
  const proc = fork(__filename, [role], { env, stdio: ['ignore', 2, 2, 'ipc'], execArgv });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role}: not ready in 60 s`)), 60_000);
    proc.once('message', (first) => {
      clearTimeout(timer);
      resolve({ proc, first });
    });
    proc.once('exit', (code) => reject(new Error(`${role} exited (${code}) before it was ready`)));
  });
}

const ask = <T>(proc: ChildProcess, msg: object): Promise<T> =>
  new Promise((resolve) => {
    proc.once('message', (m) => resolve(m as T));
    proc.send(msg);
  });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

interface Figure {
  deliveries: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function figureOf(receipts: Receipt[], startedAt: number): Figure {
  const latencies = receipts.map((r) => r.latencyMs).sort((a, b) => a - b);
  const last = Math.max(...receipts.map((r) => r.at));
  return {
    deliveries: new Set(receipts.map((r) => r.id)).size,
    perSecond: round(receipts.length / ((last - startedAt) / 1000), 0),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

async function main(): Promise<void> {
  const config: RunConfig = {
    mongoUri: required('MONGODB_URI'),
    redisUrl: required('REDIS_URL'),
    rabbitUrl: required('RABBITMQ_URL'),
    dbName: `bench_webhooks_${randomBytes(4).toString('hex')}`,
    prefix: `bench-webhooks-${randomBytes(4).toString('hex')}.`,
  };
  const env = { ...process.env, BENCH_WEBHOOKS_CONFIG: JSON.stringify(config) };
  const mongo = await MongoClient.connect(config.mongoUri);
  const db = mongo.db(config.dbName);
  const amqp = await connect(config.rabbitUrl);
  const channel = await amqp.createConfirmChannel();
  const topology = new Topology(config.prefix);
  await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
  const receiver = await startChild('receiver', env);
  const base = `http://127.0.0.1:${(receiver.first as { port: number }).port}`;
  const dispatcher = await startChild('dispatcher', env);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const endpoints = db.collection<{ _id: string }>('webhook_endpoints');
  const endpoint = (id: string, path: string) => ({
    _id: id,
    url: base + path,
    events: ['purchase.recorded'],
    description: null,
    status: 'ENABLED',
    disabledReason: null,
    failingSince: null,
    secret,
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  /** Publishes `count` events at once, or `perSecond` of them per second. */
  const publishBurst = async (count: number, perSecond?: number) => {
    const startedAt = Date.now();
    for (let i = 0; i < count; i++) {
      if (perSecond && i % 10 === 0) {
        const due = startedAt + (i / perSecond) * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      const eventId = randomUUID();
      const now = new Date().toISOString();
      const payload = {
        eventId,
        occurredAt: now,
        groupId: 'g-bench',
        purchaseId: `p-${eventId}`,
        userId: 'u-bench',
        clientId: 'c-bench',
        amount: '10.00',
        currency: 'EUR',
        payer: 'STORE',
        points: 10,
        status: 'AVAILABLE',
        purchasedAt: now,
        availableAt: now,
        expiresAt: null,
        balance: 10,
      };
      channel.publish(
        topology.eventsExchange,
        EVENTS.purchaseRecorded,
        Buffer.from(JSON.stringify(payload)),
        {
          persistent: true,
          messageId: eventId,
          type: EVENTS.purchaseRecorded,
          contentType: 'application/json',
        },
      );
      if (i % 500 === 499) await channel.waitForConfirms();
    }
    await channel.waitForConfirms();
    return startedAt;
  };

  const untilReceived = async (count: number): Promise<Receipt[]> => {
    const all: Receipt[] = [];
    const deadline = Date.now() + 300_000;
    while (new Set(all.map((r) => r.id)).size < count) {
      if (Date.now() > deadline) throw new Error(`only ${all.length} of ${count} deliveries arrived`);
      await new Promise((r) => setTimeout(r, 200));
      all.push(...(await ask<{ receipts: Receipt[] }>(receiver.proc, { take: true })).receipts);
    }
    return all;
  };

  const runDispatcher = async (withSlow: boolean, perSecond?: number): Promise<Figure> => {
    await endpoints.deleteMany({});
    await db.collection('webhook_deliveries').deleteMany({});
    await endpoints.insertOne(endpoint(randomUUID(), '/fast'));
    if (withSlow) await endpoints.insertOne(endpoint(randomUUID(), '/slow'));
    await new Promise((r) => setTimeout(r, 1_500)); // the dispatcher's poll learns the endpoints
    const count = perSecond ? PACED_SECONDS * perSecond : EVENTS_PER_BURST;
    const startedAt = await publishBurst(count, perSecond);
    return figureOf(await untilReceived(count), startedAt);
  };

  const runRawHttp = async (): Promise<Figure> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const signer = new WebhookSigner(secret);
    let next = 0;
    const startedAt = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < EVENTS_PER_BURST) {
          const body = JSON.stringify({
            type: 'purchase.recorded',
            timestamp: new Date().toISOString(),
            data: {},
          });
          await new Promise<void>((resolve, reject) => {
            const req = http.request(`${base}/fast`, {
              method: 'POST',
              agent,
              headers: {
                'content-type': 'application/json',
                ...signer.headers(randomUUID(), new Date(), body),
              },
            });
            req.on('response', (res) => res.resume().on('end', resolve));
            req.on('error', reject);
            req.end(body);
          });
        }
      }),
    );
    agent.destroy();
    return figureOf(await untilReceived(EVENTS_PER_BURST), startedAt);
  };

  const results: Record<'raw-http' | 'solo' | 'with-slow' | 'paced', Figure[]> = {
    'raw-http': [],
    solo: [],
    'with-slow': [],
    paced: [],
  };
  try {
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      results['raw-http'].push(await runRawHttp());
      progress(`round ${round_ + 1}/${ROUNDS} raw-http: ${JSON.stringify(results['raw-http'].at(-1))}`);
      const order = round_ % 2 ? (['with-slow', 'solo'] as const) : (['solo', 'with-slow'] as const);
      for (const name of order) {
        results[name].push(await runDispatcher(name === 'with-slow'));
        progress(`round ${round_ + 1}/${ROUNDS} ${name}: ${JSON.stringify(results[name].at(-1))}`);
      }
      results.paced.push(await runDispatcher(false, PACED_PER_SECOND));
      progress(`round ${round_ + 1}/${ROUNDS} paced: ${JSON.stringify(results.paced.at(-1))}`);
    }
  } finally {
    // The dispatcher shuts down like a deployed one (drains, releases its claims), then exits.
    const exited = new Promise((resolve) => dispatcher.proc.once('exit', resolve));
    dispatcher.proc.send({ stop: true });
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    dispatcher.proc.kill();
    receiver.proc.kill();
    await channel.close();
    await amqp.close();
    await db.dropDatabase();
    await mongo.close();
  }

  const med = (name: keyof typeof results, key: keyof Figure) => median(results[name].map((f) => f[key]));
  const line = (name: keyof typeof results, baseline: keyof typeof results | null, extra: object = {}) => {
    const perSecond = med(name, 'perSecond');
    process.stdout.write(
      JSON.stringify({
        bench: BENCH,
        figure: name,
        deliveries: med(name, 'deliveries'),
        rounds: ROUNDS,
        deliveriesPerSecond: perSecond,
        p50Ms: med(name, 'p50Ms'),
        p99Ms: med(name, 'p99Ms'),
        ...(baseline
          ? {
              baseline,
              baselinePerSecond: med(baseline, 'perSecond'),
              ratio: round(perSecond / med(baseline, 'perSecond'), 2),
            }
          : {}),
        ...extra,
      }) + '\n',
    );
  };
  line('raw-http', null);
  line('solo', 'raw-http', { target: 1_000 });
  line('with-slow', 'solo', { requiredRatio: 0.9 });
  // Latency without a backlog: the offered rate is the rate; the baseline's is the HTTP floor.
  line('paced', 'raw-http', { offeredPerSecond: PACED_PER_SECOND, baselineP50Ms: med('raw-http', 'p50Ms') });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through npm run bench`);
  return value;
}

const role = process.argv[2];
if (role === 'receiver') receiverChild();
else if (role === 'dispatcher')
  dispatcherChild().catch((err: unknown) => {
    process.stderr.write(`dispatcher: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
else
  main().catch((err: unknown) => {
    process.stderr.write(`${BENCH}: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
