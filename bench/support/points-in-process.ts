/**
 * The loyalty service's purchase use case called in-process (no HTTP, no RabbitMQ, no Nest): the
 * real RecordPurchaseHandler, repositories and unit of work on their own connection. Between the
 * raw baseline and the gateway figure, it tells how much of the gap is the ledger's code and how
 * much is the trip through the gateway and the broker.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import type { AuthenticatedUser } from '@lib/jwt';
import { openMongoConnection } from '@lib/persistence';
import { openLedgerStore } from '../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { ledgerProcess } from '../../test/support/loyalty/ledger-process';
import { HttpLoadResult, summarize } from './points-http-load';

const TILL_ID = randomUUID();

export async function runInProcessPurchases(spec: {
  mongoUri: string;
  dbName: string;
  sessions: number;
  warmupMs: number;
  durationMs: number;
}): Promise<HttpLoadResult & { cpuUsPerOp: number }> {
  const connection: Connection = await openMongoConnection({ uri: spec.mongoUri, dbName: spec.dbName });
  try {
    const handler = ledgerProcess(connection, await openLedgerStore(connection)).purchases;
    // One member per group; one till (an API client) records every purchase, as in production.
    const members = Array.from({ length: spec.sessions * 2 }, () => ({
      userId: randomUUID(),
      groupId: randomUUID(),
    }));
    const till: AuthenticatedUser = {
      userId: TILL_ID,
      clientId: TILL_ID,
      groupId: '',
      roles: ['client'],
      scopes: ['purchases:write'],
      tokenId: 'bench',
      issuedAt: 0,
      expiresAt: 0,
    };
    const latencies: number[] = [];
    let errors = 0;
    let done = 0;
    const t0 = performance.now();
    const windowStart = t0 + spec.warmupMs;
    const windowEnd = windowStart + spec.durationMs;
    const cpu0 = process.cpuUsage();
    const loop = async (s: number) => {
      for (let n = 0; performance.now() < windowEnd; n++) {
        const member = members[s + spec.sessions * (n % 2)];
        const sent = performance.now();
        try {
          await handler.execute(till, member, {
            purchaseId: `p-${s}-${n}`,
            userId: member.userId,
            amount: '12.50',
          });
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
