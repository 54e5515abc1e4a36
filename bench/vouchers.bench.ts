/**
 * First-login vouchers: 10,000 first-login events published to RabbitMQ, against a campaign of
 * N=100 and of N=10,000 vouchers.
 * - issue-platform: the real promotion service (PromotionModule, as main.ts builds it, in a
 *   process of its own) consuming `auth.user.logged-in` with its batch consumer. Timed from the
 *   first publish until every event is processed (its processed-event record committed); the
 *   time of the last voucher issued is reported too. Exactly N vouchers must be issued.
 * - issue-baseline: the raw `mongodb` driver, no broker, one transaction per event (record the
 *   event id, take one from `remaining`, insert the voucher), over BENCH_BASELINE_EVENTS events at
 *   each of BENCH_BASELINE_CONCURRENCY (4,16) transactions at a time; the ratio is against the
 *   best of them, measured in the same run.
 * Targets: ≥ 2,000 events/s at N=100; at N=10,000 ≥ 1.5× the baseline.
 * stdout: one JSON line per figure; progress on stderr.
 * Env: MONGODB_URI, REDIS_URL, RABBITMQ_URL (required; `npm run bench` provides them),
 * BENCH_EVENTS (10000), BENCH_LIMITS (100,10000), BENCH_BASELINE_EVENTS (1000),
 * BENCH_BASELINE_CONCURRENCY (4,16), VOUCHER_ISSUE_BATCH_SIZE (the service's default),
 * LOG_LEVEL of the service (warn), BENCH_CPU_PROF (a directory: the service process runs with
 * --cpu-prof and writes its profile there when it stops).
 */
// First: the event classes' decorators (class-transformer's @Type) read design metadata at load.
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { connect } from 'amqplib';
import { MongoClient } from 'mongodb';
import { EVENTS } from '@lib/contracts';
import { positiveInt, round } from './support/stats';
import { runRawBaseline } from './support/vouchers-baseline';
import {
  campaignDocument,
  firstLoginEvents,
  newRun,
  RUN_ENV,
  VoucherBenchRun,
} from './support/vouchers-setup';

const BENCH = 'vouchers';
const EVENT_COUNT = positiveInt('BENCH_EVENTS', 10_000);
const LIMITS = (process.env.BENCH_LIMITS ?? '100,10000').split(',').map(Number);
const BASELINE_EVENTS = positiveInt('BENCH_BASELINE_EVENTS', 1000);
const BASELINE_CONCURRENCY = (process.env.BENCH_BASELINE_CONCURRENCY ?? '4,16').split(',').map(Number);
const CONSUMER = 'promotion.first-login-vouchers';

const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);
const emit = (figure: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: BENCH, ...figure })}\n`);

// ---------------------------------------------------------------------------------------------
// The promotion service's process.

async function promotionChild(): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  const run = JSON.parse(process.env[RUN_ENV]!) as VoucherBenchRun;
  const { createApp } = await import('@lib/runtime');
  const { AmqpConnection } = await import('@lib/messaging');
  const { PromotionModule } = await import('../apps/promotion/src/promotion.module');
  const { platformConfig } = await import('./support/vouchers-setup');
  const app = await createApp(
    PromotionModule.register(platformConfig(run), { ...process.env, ...run.settings }),
    {
      rpcService: 'promotion',
    },
  );
  await app.init();
  await app.startAllMicroservices();
  await app.get(AmqpConnection).waitUntilConnected(30_000);
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send!({ type: 'ready' });
}

function startPromotion(run: VoucherBenchRun): Promise<ChildProcess> {
  const child = fork(__filename, ['promotion'], {
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', [RUN_ENV]: JSON.stringify(run) },
    stdio: ['ignore', 2, 2, 'ipc'],
    // Run from source (ts-node, while iterating) the child needs the same loaders; built, none.
    execArgv: [
      ...(__filename.endsWith('.ts')
        ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register']
        : process.execArgv),
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('promotion did not start in 60 s')), 60_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`promotion exited (${code}) before it was ready`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// The coordinator.

async function measurePlatform(voucherLimit: number) {
  const run = newRun(
    process.env.VOUCHER_ISSUE_BATCH_SIZE
      ? { VOUCHER_ISSUE_BATCH_SIZE: process.env.VOUCHER_ISSUE_BATCH_SIZE }
      : {},
  );
  const mongo = await new MongoClient(run.mongoUri).connect();
  const db = mongo.db(run.dbName);
  const amqp = await connect(run.rabbitUrl);
  const child = await startPromotion(run);
  try {
    const campaign = campaignDocument(voucherLimit);
    await db.collection('campaigns').insertOne(campaign);
    const events = firstLoginEvents(EVENT_COUNT);
    const processed = db.collection('processed_events');
    const channel = await amqp.createConfirmChannel();

    const started = Date.now();
    for (const event of events) {
      channel.publish(
        `${run.prefix}loyalty.events`,
        EVENTS.userLoggedIn,
        Buffer.from(JSON.stringify(event)),
        {
          persistent: true,
          messageId: event.eventId,
          type: EVENTS.userLoggedIn,
          contentType: 'application/json',
        },
      );
    }
    await channel.waitForConfirms();
    const publishedMs = Date.now() - started;
    // The collection's estimated count is cheap (no scan) but counts transactions still in flight:
    // it only says when to start checking the exact count.
    const deadline = started + 170_000;
    const poll = async (done: () => Promise<boolean>) => {
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error('the events were not all processed in 170 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await poll(async () => (await processed.estimatedDocumentCount()) >= EVENT_COUNT);
    await poll(async () => (await processed.countDocuments({ consumer: CONSUMER })) >= EVENT_COUNT);
    const seconds = (Date.now() - started) / 1000;
    const exact = await processed.countDocuments({ consumer: CONSUMER });
    if (exact !== EVENT_COUNT) throw new Error(`${exact} events processed, expected ${EVENT_COUNT}`);
    const vouchers = db.collection('vouchers');
    const issued = await vouchers.countDocuments();
    const last = await vouchers.find().sort({ issuedAt: -1 }).limit(1).next();
    const doc = await db.collection('campaigns').findOne({ _id: campaign._id as never });
    if (issued !== voucherLimit || doc?.issued !== voucherLimit || doc?.remaining !== 0) {
      throw new Error(
        `expected exactly ${voucherLimit} vouchers, got ${issued} (campaign says ${doc?.issued})`,
      );
    }
    await channel.close();
    return {
      seconds,
      issued,
      publishedMs,
      lastVoucherMs: last ? (last.issuedAt as Date).getTime() - started : null,
    };
  } finally {
    await stopChild(child);
    await cleanupBroker(amqp, run.prefix);
    await amqp.close();
    await db.dropDatabase();
    await mongo.close();
  }
}

async function cleanupBroker(amqp: Awaited<ReturnType<typeof connect>>, prefix: string): Promise<void> {
  for (const q of [`${prefix}${CONSUMER}`, `${prefix}${CONSUMER}.dlq`, `${prefix}rpc.promotion`]) {
    const ch = await amqp.createChannel();
    ch.on('error', () => undefined);
    await ch.deleteQueue(q).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }
  for (const x of [`${prefix}loyalty.events`, `${prefix}loyalty.dlx`]) {
    const ch = await amqp.createChannel();
    ch.on('error', () => undefined);
    await ch.deleteExchange(x).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  for (const voucherLimit of LIMITS) {
    const baselines: number[] = [];
    for (const concurrency of BASELINE_CONCURRENCY) {
      progress(`baseline: raw driver, N=${voucherLimit}, concurrency ${concurrency}…`);
      const run = newRun({});
      // Fewer events than the platform gets (a rate is what counts): keeps the run short.
      const events = firstLoginEvents(BASELINE_EVENTS);
      const { seconds, issued } = await runRawBaseline(
        run.mongoUri,
        run.dbName,
        voucherLimit,
        events,
        concurrency,
      );
      const expected = Math.min(voucherLimit, BASELINE_EVENTS);
      if (issued !== expected) throw new Error(`baseline issued ${issued}, expected ${expected}`);
      const eventsPerSecond = round(BASELINE_EVENTS / seconds, 1);
      baselines.push(eventsPerSecond);
      emit({
        figure: 'issue-baseline',
        voucherLimit,
        events: BASELINE_EVENTS,
        concurrency,
        issued,
        seconds: round(seconds, 3),
        eventsPerSecond,
        layout: 'raw mongodb driver in the coordinator, one transaction per event, no broker',
      });
    }
    const baseline = Math.max(...baselines);

    progress(`platform: promotion service, N=${voucherLimit}…`);
    const result = await measurePlatform(voucherLimit);
    const eventsPerSecond = round(EVENT_COUNT / result.seconds, 1);
    emit({
      figure: 'issue-platform',
      voucherLimit,
      events: EVENT_COUNT,
      issued: result.issued,
      seconds: round(result.seconds, 3),
      eventsPerSecond,
      publishedMs: result.publishedMs,
      lastVoucherMs: result.lastVoucherMs,
      baselineEventsPerSecond: baseline,
      ratio: round(eventsPerSecond / baseline, 2),
      target: voucherLimit <= 100 ? '>= 2000 events/s' : '>= 1.5x baseline',
      met: voucherLimit <= 100 ? eventsPerSecond >= 2000 : eventsPerSecond >= 1.5 * baseline,
      layout: 'promotion service in its own process; events published by the coordinator',
    });
  }
}

if (process.argv[2] === 'promotion') {
  promotionChild().catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    process.stderr.write(`[bench] ${BENCH}: ${(err as Error).stack}\n`);
    process.exit(1);
  });
}
