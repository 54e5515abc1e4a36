/**
 * The loyalty service's purchase use case called in-process (no HTTP, no RabbitMQ, no Nest): the
 * real RecordPurchaseHandler, repositories and unit of work on their own connection. Between the
 * raw baseline and the gateway figure, it tells how much of the gap is the ledger's code and how
 * much is the trip through the gateway and the broker.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import { MongoUnitOfWork, openMongoConnection, SchemaSetup } from '@lib/persistence';
import { IdempotentCommands } from '../../apps/loyalty/src/ledger/idempotent-commands';
import { RecordPurchaseHandler } from '../../apps/loyalty/src/ledger/purchases/record-purchase.handler';
import { LoyaltySettings } from '../../apps/loyalty/src/loyalty-settings';
import {
  ACCOUNT_MODEL,
  ENTRY_MODEL,
  LOT_MODEL,
  MongoPointsLedgerRepository,
  accountSchema,
  entrySchema,
  ledgerValidators,
  lotSchema,
} from '../../apps/loyalty/src/mongo/ledger.mongo';
import {
  MongoRequestLog,
  REQUEST_MODEL,
  requestSchema,
} from '../../apps/loyalty/src/mongo/request-log.mongo';
import { HttpLoadResult, summarize } from './points-http-load';

export async function runInProcessPurchases(spec: {
  mongoUri: string;
  dbName: string;
  sessions: number;
  warmupMs: number;
  durationMs: number;
}): Promise<HttpLoadResult & { cpuUsPerOp: number }> {
  const connection: Connection = await openMongoConnection({ uri: spec.mongoUri, dbName: spec.dbName });
  try {
    const models = {
      accounts: connection.model(ACCOUNT_MODEL, accountSchema),
      lots: connection.model(LOT_MODEL, lotSchema),
      entries: connection.model(ENTRY_MODEL, entrySchema),
      requests: connection.model(REQUEST_MODEL, requestSchema),
    };
    const setup = new SchemaSetup(connection);
    for (const model of Object.values(models)) setup.registerModel(model);
    setup.registerMigrations([ledgerValidators]);
    await setup.run();
    const handler = new RecordPurchaseHandler(
      new MongoPointsLedgerRepository(models.accounts, models.lots, models.entries),
      new IdempotentCommands(new MongoRequestLog(models.requests), new MongoUnitOfWork(connection)),
      new LoyaltySettings({ units: 1n, scale: 0 }, 'USD'),
    );
    const groups = Array.from({ length: spec.sessions * 2 }, () => randomUUID());
    const latencies: number[] = [];
    let errors = 0;
    let done = 0;
    const t0 = performance.now();
    const windowStart = t0 + spec.warmupMs;
    const windowEnd = windowStart + spec.durationMs;
    const cpu0 = process.cpuUsage();
    const loop = async (s: number) => {
      for (let n = 0; performance.now() < windowEnd; n++) {
        const groupId = groups[s + spec.sessions * (n % 2)];
        const sent = performance.now();
        try {
          await handler.execute(
            { userId: 'bench', groupId, roles: ['member'], tokenId: 'bench', expiresAt: 0 },
            { purchaseId: `p-${s}-${n}`, amount: '12.50' },
          );
          done++;
          const at = performance.now();
          if (at >= windowStart && at < windowEnd) latencies.push(at - sent);
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: spec.sessions }, (_, s) => loop(s)));
    const cpu = process.cpuUsage(cpu0);
    return {
      ...summarize(latencies, errors, { committed: latencies.length }, spec.durationMs),
      cpuUsPerOp: Math.round((cpu.user + cpu.system) / Math.max(1, done)),
    };
  } finally {
    await connection.db?.dropDatabase();
    await connection.close();
  }
}
