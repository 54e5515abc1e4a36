import { randomBytes, randomUUID } from 'node:crypto';
import type { PlatformConfig } from '@lib/config';
import type { UserLoggedInV1 } from '@lib/contracts';
import { Campaign, newCampaign } from '../../apps/promotion/src/campaigns/domain/campaign';

/** What the coordinator and the promotion process of one run share (JSON in the child's env). */
export interface VoucherBenchRun {
  mongoUri: string;
  redisUrl: string;
  rabbitUrl: string;
  dbName: string;
  prefix: string;
  settings: NodeJS.ProcessEnv;
}

export const RUN_ENV = 'BENCH_VOUCHERS_RUN';

export function newRun(settings: NodeJS.ProcessEnv): VoucherBenchRun {
  const id = randomBytes(4).toString('hex');
  return {
    mongoUri: required('MONGODB_URI'),
    redisUrl: required('REDIS_URL'),
    rabbitUrl: required('RABBITMQ_URL'),
    dbName: `bench_vouchers_${id}`,
    prefix: `bench.vouchers.${id}.`,
    settings,
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (npm run bench provides it)`);
  return value;
}

export function platformConfig(run: VoucherBenchRun): PlatformConfig {
  return {
    app: 'promotion',
    port: 0,
    mongoUri: run.mongoUri,
    mongoDb: run.dbName,
    redisUrl: run.redisUrl,
    rabbitUrl: run.rabbitUrl,
    namePrefix: run.prefix,
    rpcTimeoutMs: 5000,
    rabbitQueueType: 'classic',
    corsOrigins: [],
    jwt: { issuer: 'loyalty-platform', audience: 'loyalty-api' },
    adminConsoleDir: 'dist/admin-console',
  };
}

/** An ACTIVE FIRST_LOGIN campaign that started a minute ago, as a document of `campaigns`. */
export function campaignDocument(voucherLimit: number): Record<string, unknown> {
  const now = new Date();
  const campaign: Campaign = newCampaign(
    {
      campaignId: randomUUID(),
      name: `bench ${voucherLimit}`,
      trigger: 'FIRST_LOGIN',
      discountPercent: 30,
      voucherLimit,
      startsAt: new Date(now.getTime() - 60_000).toISOString(),
    },
    now,
    30,
  );
  const { campaignId, ...rest } = campaign;
  return { _id: campaignId, ...rest };
}

/** `count` first logins of distinct users, as auth publishes them. */
export function firstLoginEvents(count: number): UserLoggedInV1[] {
  const occurredAt = new Date().toISOString();
  return Array.from({ length: count }, () => ({
    eventId: randomUUID(),
    userId: randomUUID(),
    groupId: randomUUID(),
    firstLogin: true,
    occurredAt,
  }));
}
