// `node scripts/drills/cluster/index.mjs --smoke`: both clusters up, one member of each crashed
// and restarted, data written before the crash still there after it, and the timings.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, sleep } from '../../proc.mjs';
import { redact } from '../../infra/support.mjs';
import { startMongoReplicaSet } from './mongo-replica-set.mjs';
import { killProcessesUsingSync, pollUntil } from './processes.mjs';
import { startRabbitCluster } from './rabbit-cluster.mjs';

const load = createRequire(join(ROOT, 'package.json'));
const log = (...args) => console.error(...args);
const timings = [];
const timed = async (what, work) => {
  const t0 = Date.now();
  const result = await work();
  timings.push([what, Date.now() - t0]);
  log(`  ${what}: ${Date.now() - t0} ms`);
  return result;
};

export async function smoke() {
  const baseDir = mkdtempSync(join(tmpdir(), 'loyalty-cluster-smoke-'));
  let mongo, rabbit;
  const onSignal = () => {
    killProcessesUsingSync(baseDir); // also what a start still under way has launched
    rmSync(baseDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const failures = [];
  const check = (ok, what) => {
    log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  try {
    const started = await Promise.allSettled([
      timed('MongoDB replica set start', () => startMongoReplicaSet({ baseDir, log })),
      timed('RabbitMQ cluster start', () => startRabbitCluster({ baseDir, log })),
    ]);
    [mongo, rabbit] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    console.log(`MONGODB_URI=${mongo.uri}`);
    console.log(`RABBITMQ_URL=${rabbit.urls.map(redact).join(',')}`);
    await mongoCrash(mongo, check);
    await rabbitCrash(rabbit, check);
  } catch (err) {
    check(false, `smoke ran to the end (${err.stack ?? err})`);
  } finally {
    await timed('stop both', () => Promise.all([mongo?.stop(), rabbit?.stop()]));
    rmSync(baseDir, { recursive: true, force: true });
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
  console.log('\nTimings:');
  for (const [what, ms] of timings) console.log(`  ${what.padEnd(52)} ${(ms / 1000).toFixed(2)} s`);
  console.log(failures.length ? `\n${failures.length} check(s) FAILED` : '\nAll checks passed');
  return failures.length ? 1 : 0;
}

async function mongoCrash(rs, check) {
  const { MongoClient } = load('mongodb');
  const client = await new MongoClient(rs.uri, { writeConcern: { w: 'majority' } }).connect();
  try {
    const docs = client.db('cluster_smoke').collection('docs');
    await docs.insertOne({ n: 1 });
    const old = await rs.primary();
    log(`MongoDB: killing primary ${old.port} (SIGKILL)`);
    const killedAt = Date.now();
    await rs.kill(old.port);
    const next = await rs.waitForPrimary(30_000);
    timings.push(['MongoDB election after primary SIGKILL', Date.now() - killedAt]);
    check(next.port !== old.port, `a new primary (${next.port}) replaced the killed one (${old.port})`);
    // The driver finds the new primary by itself; until it has, a write may fail: retry it.
    await timed('MongoDB first majority write after the kill', () =>
      pollUntil(() => docs.insertOne({ n: 2 }).then(() => true), { timeoutMs: 30_000, what: 'a write' }),
    );
    await timed('MongoDB killed member restarted (SECONDARY)', () => rs.restart(old.port));
    const direct = await new MongoClient(`mongodb://127.0.0.1:${old.port}/?directConnection=true`).connect();
    try {
      const back = direct.db('cluster_smoke').collection('docs');
      const caughtUp = await pollUntil(async () => (await back.countDocuments({})) === 2, {
        timeoutMs: 30_000,
        what: 'the restarted member holding both documents',
      }).catch(() => false);
      check(caughtUp, 'the restarted member caught up (both documents, one written while it was down)');
    } finally {
      await direct.close();
    }
    check((await docs.countDocuments({})) === 2, 'no write lost or duplicated across the election');
  } finally {
    await client.close();
  }
}

async function rabbitCrash(cluster, check) {
  const amqp = load('amqplib');
  const queue = 'cluster-smoke';
  const [first, second] = cluster.urls;
  const publisher = await amqp.connect(first);
  const channel = await publisher.createConfirmChannel();
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (let i = 0; i < 10; i++) channel.sendToQueue(queue, Buffer.from(String(i)), { persistent: true });
  await channel.waitForConfirms();
  await publisher.close();

  const victim = cluster.nodes[0].name; // where the queue was declared: most likely its leader
  log(`RabbitMQ: killing node ${victim} (SIGKILL)`);
  const killedAt = Date.now();
  await cluster.kill(victim);
  // The other two are a majority: the queue elects a new leader and serves what was confirmed.
  const { received } = await pollUntil(() => drain(amqp, second, queue), {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: 'the quorum queue readable on a surviving node',
  });
  timings.push(['RabbitMQ quorum queue readable after a node SIGKILL', Date.now() - killedAt]);
  check(received === 10, `all 10 confirmed messages survived the node's crash (got ${received})`);
  await timed('RabbitMQ killed node restarted and rejoined', () => cluster.restart(victim));
  const conn = await amqp.connect(cluster.urls[0]);
  try {
    const ch = await conn.createChannel();
    const ok = await ch.checkQueue(queue);
    check(ok.messageCount === 0, 'the restarted node serves the queue (acknowledged messages stay gone)');
  } finally {
    await conn.close();
  }
}

/** Gets and acks every message of the queue through `url`: { received }, or false while it is unavailable. */
async function drain(amqp, url, queue) {
  const conn = await amqp.connect(url).catch(() => null);
  if (!conn) return false;
  conn.on('error', () => undefined);
  try {
    const ch = await conn.createChannel();
    let count = 0;
    for (let message; (message = await ch.get(queue, { noAck: false })); count++) ch.ack(message);
    await sleep(50); // let the acks reach the broker before closing
    return { received: count };
  } catch {
    return false;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
