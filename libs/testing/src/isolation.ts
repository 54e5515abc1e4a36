import { connect } from 'amqplib';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import { PlatformConfig } from '@lib/config';
import { TestInfra, testInfra, uniqueId } from './test-env';

/**
 * Everything one test file owns: its own database, its own queue/exchange name prefix and its own
 * Redis key prefix, so files run in parallel on one MongoDB, broker and Redis without seeing each
 * other. `cleanup()` drops all of it.
 */
export class TestIsolation {
  readonly id: string;
  readonly infra: TestInfra;
  readonly dbName: string;
  /** Prefix for queue and exchange names. */
  readonly namePrefix: string;
  private readonly extraDbs: string[] = [];
  private readonly queues = new Set<string>();

  constructor(label: string) {
    this.infra = testInfra();
    this.id = uniqueId(label);
    this.dbName = `t_${this.id}`;
    this.namePrefix = `t.${this.id}.`;
  }

  /** Another database of this file (e.g. one per app when several run in the test). */
  database(suffix: string): string {
    const name = `${this.dbName}_${suffix}`.slice(0, 60);
    this.extraDbs.push(name);
    return name;
  }

  /** Names a consumer queue of this file (full name returned) so cleanup deletes it and its DLQ. */
  queue(name: string): string {
    const full = `${this.namePrefix}${name}`;
    this.queues.add(full);
    this.queues.add(`${full}.dlq`);
    return full;
  }

  config(app: string, overrides: Partial<PlatformConfig> = {}): PlatformConfig {
    return {
      app,
      port: 0,
      mongoUri: this.infra.mongoUri,
      mongoDb: this.dbName,
      redisUrl: this.infra.redisUrl,
      rabbitUrl: this.infra.rabbitUrl,
      namePrefix: this.namePrefix,
      rpcTimeoutMs: 3000,
      rabbitQueueType: 'classic',
      corsOrigins: [],
      jwt: { issuer: 'loyalty-platform', audience: 'loyalty-api' },
      adminConsoleDir: 'dist/admin-console',
      ...overrides,
    };
  }

  async cleanup(): Promise<void> {
    await Promise.all([this.dropDatabases(), this.deleteRedisKeys(), this.deleteBrokerObjects()]);
  }

  private async dropDatabases(): Promise<void> {
    const conn = await mongoose.createConnection(this.infra.mongoUri).asPromise();
    try {
      for (const name of [this.dbName, ...this.extraDbs]) await conn.useDb(name).dropDatabase();
    } finally {
      await conn.close();
    }
  }

  private async deleteRedisKeys(): Promise<void> {
    const redis = new Redis(this.infra.redisUrl);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.namePrefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }

  /** The conventional names (Topology) plus every queue this file named through queue(). */
  private async deleteBrokerObjects(): Promise<void> {
    const p = this.namePrefix;
    const names = {
      queues: new Set([
        ...this.queues,
        ...['auth', 'loyalty', 'promotion', 'webhooks', 'test'].map((s) => `${p}rpc.${s}`),
      ]),
      exchanges: new Set([`${p}loyalty.events`, `${p}loyalty.dlx`]),
    };
    const conn = await connect(this.infra.rabbitUrl);
    try {
      for (const q of names.queues) {
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        await ch.deleteQueue(q).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
      for (const x of names.exchanges) {
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        await ch.deleteExchange(x).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
    } finally {
      await conn.close();
    }
  }
}
