/**
 * Coupon books: the streamed CSV export of a book's codes,
 * `GET /v1/admin/coupon-books/{id}/codes/export` (gateway → RabbitMQ RPC → promotion, keyset pages
 * of 5,000 codes walked on the `{couponBookId, _id}` index).
 * - export-big: a book of CODES (500,000) codes exported through the gateway and read fully by an
 *   HTTP client that counts the rows; rows/s, seconds, and the gateway process's RSS growth during
 *   the export (the gateway runs alone in its own process and samples its own
 *   process.memoryUsage().rss every 50 ms; auth + promotion run in another, sampled the same way).
 * - export-big-raw: the same book read by the raw driver in the coordinator, one cursor with the
 *   same filter, sort and hint (batchSize 5,000), formatted into the same CSV text in memory by
 *   the gateway's own formatter; the ratio export/raw.
 * - export-small / export-small-raw: a SMALL (1,000) code book whose codes sit among the big
 *   book's in the same collection. export-small-raw-id-hint reads it the way the export first did,
 *   hinted to `_id`, which scans every code of every book to find them: what the
 *   `{couponBookId: 1, _id: 1}` index saves.
 * Rounds alternate the export and its baseline: the shared machine's load drifts, and both should
 * see the same drift; medians are reported.
 * stdout: one JSON line per figure; progress on stderr. Runs in about 1-2 minutes at the defaults.
 * Env: MONGODB_URI, REDIS_URL, RABBITMQ_URL (required; `npm run bench` provides them),
 * BENCH_EXPORT_CODES (500000), BENCH_EXPORT_SMALL (1000), BENCH_EXPORT_ROUNDS (2),
 * BENCH_EXPORT_SMALL_ROUNDS (5), LOG_LEVEL of the servers (warn).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { MongoClient, type Collection } from 'mongodb';
import { COUPON_COLLECTIONS, type CouponCodeDoc } from '@lib/coupons';
import { generateSigningKeyPem } from '../apps/auth/src/keys/generate-signing-key/generate-signing-key';
import { explainFirstPage, rawExport, seedCodes, type RawExport } from './support/coupon-export-baseline';
import { COUPONS_RUN_ENV, type CouponsBenchRun } from './support/coupons-platform';
import { runBenchProcess, startServerChild, tearDownRun } from './support/bench-process';
import { median, positiveInt, round } from './support/stats';

const BENCH = 'coupon-export';
const CODES = positiveInt('BENCH_EXPORT_CODES', 500_000);
const SMALL = positiveInt('BENCH_EXPORT_SMALL', 1_000);
const ROUNDS = positiveInt('BENCH_EXPORT_ROUNDS', 2);
const SMALL_ROUNDS = positiveInt('BENCH_EXPORT_SMALL_ROUNDS', 5);
const RSS_SAMPLE_MS = 50;
const ID_HINT = { _id: 1 } as const;
const BOOK_INDEX = { couponBookId: 1, _id: 1 } as const;
const MB = 1024 * 1024;

type Role = 'services' | 'gateway';

const progress = (msg: string) => process.stderr.write(`[bench] ${BENCH}: ${msg}\n`);
const emit = (figure: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: BENCH, ...figure })}\n`);

// ---------------------------------------------------------------------------------------------
// Server processes. Each samples its own RSS between `rss-start` and `rss-stop`.

interface RssReport {
  startMb: number;
  peakMb: number;
  endMb: number;
  growthMb: number;
  samples: number;
}

function rssSampler() {
  let timer: NodeJS.Timeout | undefined;
  let start = 0;
  let peak = 0;
  let samples = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    samples++;
  };
  return {
    start() {
      start = peak = process.memoryUsage().rss;
      samples = 1;
      timer = setInterval(sample, RSS_SAMPLE_MS);
    },
    stop(): RssReport {
      clearInterval(timer);
      sample();
      const end = process.memoryUsage().rss;
      const mb = (bytes: number) => round(bytes / MB, 1);
      return { startMb: mb(start), peakMb: mb(peak), endMb: mb(end), growthMb: mb(peak - start), samples };
    },
  };
}

async function serverChild(role: Role): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  const run = JSON.parse(process.env[COUPONS_RUN_ENV]!) as CouponsBenchRun;
  const { startGateway, startServices } = await import('./support/coupon-export-platform');
  const server = role === 'gateway' ? await startGateway(run) : await startServices(run);
  const rss = rssSampler();
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'rss-start') {
      rss.start();
      process.send!({ type: 'rss-started' });
    }
    if (msg.type === 'rss-stop') process.send!({ type: 'rss', report: rss.stop() });
    if (msg.type === 'stop') void server.close().then(() => process.exit(0));
  });
  process.send!({ type: 'ready', port: server.port });
}

const startChild = (role: Role, run: CouponsBenchRun) =>
  startServerChild(__filename, role, { [COUPONS_RUN_ENV]: JSON.stringify(run) });

function ask<T>(child: ChildProcess, type: string, answer: string, pick: (msg: any) => T): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (msg: { type: string }) => {
      if (msg.type !== answer) return;
      child.off('message', onMessage);
      resolve(pick(msg));
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

// ---------------------------------------------------------------------------------------------
// The coordinator.

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
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

/** Downloads the export, counting CRLF-ended lines as they arrive (header excluded); holds nothing. */
function downloadExport(port: number, couponBookId: string, token: string): Promise<RawExport> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/v1/admin/coupon-books/${couponBookId}/codes/export`,
        headers: { Authorization: `Bearer ${token}` },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`export answered ${res.statusCode}`));
          return;
        }
        let lines = 0;
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({ rows: lines - 1, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
        );
      },
    );
    req.on('error', reject);
  });
}

function expectRows(what: string, result: RawExport, rows: number): RawExport {
  if (result.rows !== rows) throw new Error(`${what}: ${result.rows} rows, expected ${rows}`);
  return result;
}

const summary = (results: RawExport[]) => {
  const seconds = median(results.map((r) => r.seconds));
  return {
    rows: results[0].rows,
    seconds: round(seconds, 3),
    rowsPerSecond: Math.round(results[0].rows / seconds),
    megabytes: round(results[0].bytes / MB, 2),
    rounds: results.map((r) => round(r.seconds, 3)),
  };
};

async function timedRaw(
  codes: Collection<CouponCodeDoc>,
  couponBookId: string,
  hint: Record<string, 1>,
  rows: number,
) {
  return expectRows('raw export', await rawExport(codes, couponBookId, hint), rows);
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
    dbName: `bench_coupon_export_${id}`,
    prefix: `bench.coupon-export.${id}.`,
    signingKeyPem: generateSigningKeyPem(),
    admin: { username: 'benchadmin', password: 'bench-admin-password' },
  };
  const client = await new MongoClient(MONGODB_URI).connect();
  const codes = client.db(run.dbName).collection<CouponCodeDoc>(COUPON_COLLECTIONS.codes);
  const children: ChildProcess[] = [];
  try {
    progress('starting auth + promotion, then the gateway (own process)');
    const services = await startChild('services', run);
    children.push(services.child);
    const gateway = await startChild('gateway', run);
    children.push(gateway.child);
    const base = `http://127.0.0.1:${gateway.port}`;
    const token = (await call(base, 'POST', '/v1/auth/login', undefined, run.admin)).accessToken as string;
    const big = (await call(base, 'POST', '/v1/admin/coupon-books', token, { name: 'bench export big' }))
      .couponBookId as string;
    const small = (await call(base, 'POST', '/v1/admin/coupon-books', token, { name: 'bench export small' }))
      .couponBookId as string;

    progress(`seeding ${CODES} + ${SMALL} codes straight into MongoDB`);
    const seedStarted = Date.now();
    await seedCodes(codes, [
      { couponBookId: big, count: CODES },
      { couponBookId: small, count: SMALL },
    ]);
    progress(`  seeded in ${round((Date.now() - seedStarted) / 1000, 1)} s`);

    // A warm-up pass of each: the first read of the collection pulls it into the cache.
    progress('warm-up: one raw read and one export of the big book');
    // The platform declares the index; made here too, in case the seeding outran its creation.
    await codes.createIndex(BOOK_INDEX);
    await timedRaw(codes, big, BOOK_INDEX, CODES);
    expectRows('export', await downloadExport(gateway.port, big, token), CODES);

    // 1 + 2. The big book: export through the gateway and its raw baseline, alternating.
    const bigRaw: RawExport[] = [];
    const bigExport: RawExport[] = [];
    const rss: Record<Role, RssReport[]> = { gateway: [], services: [] };
    for (let r = 0; r < ROUNDS; r++) {
      progress(`big book, round ${r + 1}/${ROUNDS}: raw read, then the export`);
      bigRaw.push(await timedRaw(codes, big, BOOK_INDEX, CODES));
      await Promise.all(children.map((c) => ask(c, 'rss-start', 'rss-started', () => undefined)));
      const result = await downloadExport(gateway.port, big, token);
      const [servicesRss, gatewayRss] = await Promise.all(
        children.map((c) => ask(c, 'rss-stop', 'rss', (m: { report: RssReport }) => m.report)),
      );
      bigExport.push(expectRows('export', result, CODES));
      rss.gateway.push(gatewayRss);
      rss.services.push(servicesRss);
    }
    const bigRawSummary = summary(bigRaw);
    const bigExportSummary = summary(bigExport);
    emit({
      figure: 'export-big-raw',
      ...bigRawSummary,
      layout:
        'raw mongodb driver in the coordinator: find({couponBookId}).sort({_id:1}).hint({couponBookId:1,_id:1}).batchSize(5000), full documents, formatted by the gateway csvRows in pages of 5,000; no HTTP, no RPC',
    });
    const maxOf = (reports: RssReport[], key: keyof RssReport) => Math.max(...reports.map((x) => x[key]));
    emit({
      figure: 'export-big',
      ...bigExportSummary,
      ratioToRaw: round(bigExportSummary.rowsPerSecond / bigRawSummary.rowsPerSecond, 3),
      gatewayRssGrowthMb: maxOf(rss.gateway, 'growthMb'),
      gatewayRssPeakMb: maxOf(rss.gateway, 'peakMb'),
      gatewayRss: rss.gateway,
      authPromotionRssGrowthMb: maxOf(rss.services, 'growthMb'),
      authPromotionRss: rss.services,
      layout:
        'HTTP client (coordinator, counts CRLF lines) → gateway (own process) → RabbitMQ RPC pages of 5,000 → promotion (+ auth, another process) → MongoDB',
      rssMeasured: `each server process samples its own process.memoryUsage().rss every ${RSS_SAMPLE_MS} ms from just before the request to just after the last byte; growth = peak - start, worst round`,
    });

    // 3. The small book among the big book's codes.
    progress(`small book (${SMALL} codes among ${CODES}): export and raw read, ${SMALL_ROUNDS} rounds`);
    const smallExport: RawExport[] = [];
    const smallRaw: RawExport[] = [];
    for (let r = 0; r < SMALL_ROUNDS; r++) {
      smallExport.push(expectRows('export', await downloadExport(gateway.port, small, token), SMALL));
      smallRaw.push(await timedRaw(codes, small, BOOK_INDEX, SMALL));
    }
    const planByBook = await explainFirstPage(codes, small, BOOK_INDEX);
    progress('  again on the raw driver hinted to _id, as the export first read');
    const smallById: RawExport[] = [];
    for (let r = 0; r < SMALL_ROUNDS; r++) smallById.push(await timedRaw(codes, small, ID_HINT, SMALL));
    const planById = await explainFirstPage(codes, small, ID_HINT);
    const smallExportSummary = summary(smallExport);
    const smallRawSummary = summary(smallRaw);
    const smallByIdSummary = summary(smallById);
    emit({
      figure: 'export-small',
      ...smallExportSummary,
      collectionCodes: CODES + SMALL,
      ratioToRaw: round(smallExportSummary.rowsPerSecond / smallRawSummary.rowsPerSecond, 3),
      layout: 'as export-big; the book is one RPC page',
    });
    emit({
      figure: 'export-small-raw',
      ...smallRawSummary,
      hint: BOOK_INDEX,
      firstPagePlan: planByBook,
      layout: 'as export-big-raw: the same query and hint as promotion',
    });
    emit({
      figure: 'export-small-raw-id-hint',
      ...smallByIdSummary,
      hint: ID_HINT,
      firstPagePlan: planById,
      slowdownOverBookIndex: round(smallByIdSummary.seconds / smallRawSummary.seconds, 1),
      layout: 'as export-small-raw, hinted to _id as the export first was: the scan the book index saves',
    });
  } finally {
    await tearDownRun(client, run.dbName, children);
  }
}

runBenchProcess(BENCH, ['services', 'gateway'] as const, serverChild, main);
