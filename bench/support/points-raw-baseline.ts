/**
 * The points benchmark's baseline: the documents a purchase or a redemption writes, in one
 * transaction (snapshot reads, majority writes, as the platform's unit of work), with the raw
 * MongoDB driver: no HTTP, no RabbitMQ, no NestJS, no token checks, no idempotency pre-check.
 * Runs `sessions` concurrent loops for warm-up + duration and reports committed transactions.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ClientSession, Db, MongoClient, TransactionOptions } from 'mongodb';
import { HttpLoadResult, summarize } from './points-http-load';

const TX: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
  readPreference: 'primary',
};

export type RawOp = 'purchase' | 'redemption';

/** Same collections and indexes as the loyalty service's schemas; each group funded by one old lot. */
export async function prepareRawDb(db: Db, groups: string[]): Promise<void> {
  const unspent = { partialFilterExpression: { remaining: { $gt: 0 } } };
  await db.collection('point_lots').createIndex({ groupId: 1, timestamp: 1, seq: 1 }, unspent);
  await db.collection('point_lots').createIndex({ groupId: 1, payer: 1, timestamp: 1, seq: 1 }, unspent);
  await db.collection('point_entries').createIndex({ groupId: 1, seq: -1 }, { unique: true });
  await db.collection('point_entries').createIndex({ createdAt: 1, type: 1, points: 1 });
  await db.collection('ledger_requests').createIndex({ groupId: 1, kind: 1, createdAt: -1, businessId: -1 });
  const funds = 900_000_000;
  await db.collection('point_accounts').insertMany(
    groups.map((g) => ({
      _id: g as never,
      balance: funds,
      byPayer: { STORE: funds },
      seq: 1,
      updatedAt: new Date(),
    })),
  );
  await db.collection('point_lots').insertMany(
    groups.map((g) => ({
      _id: randomUUID() as never,
      groupId: g,
      payer: 'STORE',
      timestamp: new Date('2020-01-01T00:00:00Z'),
      seq: 1,
      points: funds,
      remaining: funds,
      reference: 'fund',
    })),
  );
}

async function purchase(db: Db, session: ClientSession, groupId: string): Promise<void> {
  const now = new Date();
  const points = 12;
  const purchaseId = randomUUID();
  const account = await db
    .collection<{ _id: string; balance: number; seq: number }>('point_accounts')
    .findOneAndUpdate(
      { _id: groupId },
      { $inc: { balance: points, 'byPayer.STORE': points, seq: 1 }, $set: { updatedAt: now } },
      { upsert: true, returnDocument: 'after', session },
    );
  const seq = account!.seq;
  await db.collection('point_lots').insertOne(
    {
      _id: randomUUID() as never,
      groupId,
      payer: 'STORE',
      timestamp: now,
      seq,
      points,
      remaining: points,
      reference: purchaseId,
    },
    { session },
  );
  await db.collection('point_entries').insertOne(
    {
      _id: randomUUID() as never,
      groupId,
      seq,
      type: 'EARN',
      points,
      payer: 'STORE',
      reference: purchaseId,
      balanceAfter: account!.balance,
      createdAt: now,
      actorId: 'bench',
    },
    { session },
  );
  await db.collection('ledger_requests').insertOne(
    {
      _id: `purchase:${groupId}:${purchaseId}` as never,
      kind: 'purchase',
      groupId,
      businessId: purchaseId,
      fingerprint: 'f'.repeat(64),
      response: {
        purchaseId,
        groupId,
        amount: '12.50',
        currency: 'USD',
        payer: 'STORE',
        pointsEarned: points,
        balance: account!.balance,
        createdAt: now.toISOString(),
      },
      createdAt: now,
    },
    { session },
  );
}

async function redemption(db: Db, session: ClientSession, groupId: string): Promise<void> {
  const now = new Date();
  const points = 1;
  const redemptionId = randomUUID();
  const account = await db
    .collection<{ _id: string; balance: number }>('point_accounts')
    .findOne({ _id: groupId }, { session });
  if (!account || account.balance < points) throw new Error('baseline group ran dry');
  const lot = await db
    .collection<{ _id: string; payer: string; remaining: number }>('point_lots')
    .find({ groupId, remaining: { $gt: 0 } }, { session, sort: { timestamp: 1, seq: 1 }, limit: 1 })
    .next();
  await db
    .collection<{ _id: string }>('point_lots')
    .updateOne({ _id: lot!._id, remaining: { $gte: points } }, { $inc: { remaining: -points } }, { session });
  const after = await db
    .collection<{ _id: string; balance: number; seq: number }>('point_accounts')
    .findOneAndUpdate(
      { _id: groupId, balance: { $gte: points }, [`byPayer.${lot!.payer}`]: { $gte: points } },
      { $inc: { balance: -points, [`byPayer.${lot!.payer}`]: -points, seq: 1 }, $set: { updatedAt: now } },
      { returnDocument: 'after', session },
    );
  await db.collection('point_entries').insertOne(
    {
      _id: randomUUID() as never,
      groupId,
      seq: after!.seq,
      type: 'REDEEM',
      points: -points,
      payer: lot!.payer,
      reference: redemptionId,
      balanceAfter: after!.balance,
      createdAt: now,
      actorId: 'bench',
    },
    { session },
  );
  await db.collection('ledger_requests').insertOne(
    {
      _id: `redemption:${groupId}:${redemptionId}` as never,
      kind: 'redemption',
      groupId,
      businessId: redemptionId,
      fingerprint: 'f'.repeat(64),
      response: {
        redemptionId,
        points,
        balance: after!.balance,
        spent: [{ payer: lot!.payer, points: -points }],
        createdAt: now.toISOString(),
      },
      createdAt: now,
    },
    { session },
  );
}

export interface RawLoadSpec {
  op: RawOp;
  sessions: number;
  /** The group session i works on for its n-th transaction. */
  group(session: number, n: number): string;
  warmupMs: number;
  durationMs: number;
  /** Queue transactions per group in this process (as the loyalty service does) instead of letting them conflict. */
  serializePerGroup?: boolean;
}

export async function runRawLoad(
  client: MongoClient,
  db: Db,
  spec: RawLoadSpec,
): Promise<HttpLoadResult & { conflictRetries: number; clientCpuUsPerTxn: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let attempts = 0;
  const tails = new Map<string, Promise<unknown>>();
  const serialized = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    if (!spec.serializePerGroup) return fn();
    const run = (tails.get(key) ?? Promise.resolve()).then(fn, fn);
    tails.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  };
  const t0 = performance.now();
  const windowStart = t0 + spec.warmupMs;
  const windowEnd = windowStart + spec.durationMs;
  const work = spec.op === 'purchase' ? purchase : redemption;
  let committed = 0;
  let committedAll = 0;
  const cpu0 = process.cpuUsage();
  const loop = async (i: number) => {
    for (let n = 0; performance.now() < windowEnd; n++) {
      const groupId = spec.group(i, n);
      const sent = performance.now();
      try {
        await serialized(groupId, async () => {
          const session = client.startSession();
          try {
            await session.withTransaction(async () => {
              const now = performance.now();
              if (now >= windowStart && now < windowEnd) attempts++;
              await work(db, session, groupId);
            }, TX);
          } finally {
            await session.endSession();
          }
        });
        committedAll++;
        const done = performance.now();
        if (done >= windowStart && done < windowEnd) {
          latencies.push(done - sent);
          committed++;
        }
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.sessions }, (_, i) => loop(i)));
  const cpu = process.cpuUsage(cpu0);
  const result = summarize(latencies, errors, { committed }, spec.durationMs);
  return {
    ...result,
    conflictRetries: Math.max(0, attempts - committed),
    clientCpuUsPerTxn: Math.round((cpu.user + cpu.system) / Math.max(1, committedAll)),
  };
}
