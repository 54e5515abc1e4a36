import { connect } from 'amqplib';
import Redis from 'ioredis';
import { MongoClient } from 'mongodb';
import { databaseOf, namePrefixOf } from './app-env';
import type { Engines } from './environment';
import { APPS } from './platform';

/** The consumer queues the apps declare (each with a .dlq), and the services' RPC queues. */
const CONSUMER_QUEUES = [
  'auth.audit-log',
  'auth.notifications',
  'promotion.first-login-vouchers',
  'coupon-worker.generation',
  'webhook-dispatcher.events',
];
const RPC_SERVICES = ['auth', 'loyalty', 'promotion', 'webhooks'];

/**
 * Removes what the run left on engines that outlive it: its Redis keys (Redis is always the
 * machine's), and on the machine's shared MongoDB and RabbitMQ (--use-env-infra) its databases,
 * queues and exchanges, all named with the run's id. The drill's own cluster is deleted whole.
 */
export async function removeRunData(engines: Engines, runId: string): Promise<void> {
  const prefix = namePrefixOf(runId);
  await removeRedisKeys(engines.redisUrl, prefix);
  if (!engines.shared) return;
  const mongo = new MongoClient(engines.mongoUri);
  try {
    for (const db of new Set(APPS.map((app) => databaseOf(app, runId, true))))
      await mongo.db(db).dropDatabase();
  } finally {
    await mongo.close();
  }
  await removeBrokerObjects(engines.rabbitUrls[0], prefix);
}

async function removeRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function removeBrokerObjects(url: string, prefix: string): Promise<void> {
  const conn = await connect(url);
  try {
    const queues = [
      ...CONSUMER_QUEUES.flatMap((q) => [`${prefix}${q}`, `${prefix}${q}.dlq`]),
      ...RPC_SERVICES.map((s) => `${prefix}rpc.${s}`),
    ];
    for (const [kind, names] of [
      ['queue', queues],
      ['exchange', [`${prefix}loyalty.events`, `${prefix}loyalty.dlx`]],
    ] as const) {
      for (const name of names) {
        // A failed delete closes its channel: one channel each.
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        await (kind === 'queue' ? ch.deleteQueue(name) : ch.deleteExchange(name)).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
    }
  } finally {
    await conn.close();
  }
}
