/**
 * The assignment benchmark's raw baseline: the documents one assignment writes on the platform, in
 * one transaction per assignment with the raw `mongodb` driver (snapshot reads, majority writes,
 * as promotion's unit of work), `sessions` concurrent loops, no HTTP, no RabbitMQ, no Nest, no
 * token checks:
 * - the member's per-book count (coupon_holders), incremented and checked against the limit;
 * - a random free code of the book claimed (coupon_codes, the first free rank at or after a draw,
 *   wrapping around);
 * - one random shard of the book's counters (coupon_book_stats);
 * - the `promotion.coupon.assigned` outbox record (into a collection of its own with the outbox's
 *   indexes, so that promotion's relay does not publish the baseline's events).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ClientSession, Db, MongoClient, TransactionOptions } from 'mongodb';
import { EVENTS } from '@lib/contracts';
import { COUPON_COLLECTIONS, randomRank, nextStatsShard } from '@lib/coupons';
import { outboxSchema } from '@lib/messaging';

const TX: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
  readPreference: 'primary',
};

export const RAW_OUTBOX = 'bench_raw_outbox';

/** The outbox's collection and indexes, under another name. */
export async function createOutboxCopy(db: Db, name: string): Promise<void> {
  const outbox = await db.createCollection(name);
  for (const [keys, options] of outboxSchema.indexes()) {
    await outbox.createIndex(keys as Record<string, 1 | -1>, options as Record<string, unknown>);
  }
}

interface RawAssignSpec {
  client: MongoClient;
  db: Db;
  couponBookId: string;
  /** The book's maxCodesPerUser. */
  limit: number;
  sessions: number;
  warmupMs: number;
  durationMs: number;
}

export interface RawAssignResult {
  assignments: number;
  perSecond: number;
  /** Transactions that ended in an error (none expected). */
  errors: number;
  /** This process's CPU per committed assignment (warm-up and window), in microseconds. */
  cpuUs: number;
}

class LimitReached extends Error {}

async function assignOne(
  db: Db,
  session: ClientSession,
  couponBookId: string,
  userId: string,
  limit: number,
) {
  const now = new Date();
  const holder = await db
    .collection<{ _id: string; codes: number }>('coupon_holders')
    .findOneAndUpdate(
      { _id: `${couponBookId}:${userId}` },
      { $inc: { codes: 1 }, $setOnInsert: { couponBookId, userId, redemptions: 0 } },
      { upsert: true, returnDocument: 'after', session },
    );
  if (holder!.codes > limit) throw new LimitReached();
  const codes = db.collection<{ _id: string }>(COUPON_COLLECTIONS.codes);
  const from = randomRank();
  let code: string | undefined;
  for (const [rank, direction] of [
    [{ $gte: from }, 1],
    [{ $lt: from }, -1],
  ] as const) {
    const doc = await codes.findOneAndUpdate(
      { couponBookId, assignedTo: null, rank },
      { $set: { assignedTo: userId, assignedAt: now } },
      { sort: { rank: direction }, returnDocument: 'after', projection: { _id: 1 }, session },
    );
    if (doc) {
      code = doc._id;
      break;
    }
  }
  if (!code) throw new Error('no codes left');
  await db
    .collection<{ _id: string }>(COUPON_COLLECTIONS.bookStats)
    .updateOne({ _id: nextStatsShard(couponBookId) }, { $inc: { assigned: 1 } }, { session });
  const eventId = randomUUID();
  await db.collection<Record<string, unknown> & { _id: string }>(RAW_OUTBOX).insertOne(
    {
      _id: eventId,
      name: EVENTS.couponAssigned,
      payload: { eventId, occurredAt: now.toISOString(), couponBookId, code, userId },
      requestId: randomUUID(),
      status: 'pending',
      attempts: 0,
      availableAt: now,
      createdAt: now,
    },
    { session },
  );
}

/** Closed loops of raw assignment transactions; counts those committed inside the window. */
export async function rawAssignments(spec: RawAssignSpec): Promise<RawAssignResult> {
  const { client, db, couponBookId, limit, sessions, warmupMs, durationMs } = spec;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let committed = 0;
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + durationMs;
  let assignments = 0;
  let errors = 0;
  const loop = async () => {
    const userId = randomUUID(); // a member id as the platform's: a UUID
    const session = client.startSession();
    try {
      while (performance.now() < windowEnd) {
        try {
          await session.withTransaction(() => assignOne(db, session, couponBookId, userId, limit), TX);
          committed++;
          const done = performance.now();
          if (done >= windowStart && done < windowEnd) assignments++;
        } catch (err) {
          errors++;
          if (errors > 100) throw err;
        }
      }
    } finally {
      await session.endSession();
    }
  };
  await Promise.all(Array.from({ length: sessions }, () => loop()));
  const cpu = process.cpuUsage(cpu0);
  return {
    assignments,
    perSecond: assignments / (durationMs / 1000),
    errors,
    cpuUs: (cpu.user + cpu.system) / Math.max(committed, 1),
  };
}
