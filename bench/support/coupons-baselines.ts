/**
 * The coupons benchmark's baselines, on the raw `mongodb` driver:
 * - the limit: one unordered insertMany of N pre-made code documents into the coupon codes
 *   collection with its real indexes;
 * - the seed's naive generation: codes from Math.random (modulo-biased, never checked), inserted
 *   1,000 at a time inside one transaction;
 * - the seed's assignment: count the free codes, skip a random number of them, claim the one found.
 */
import type { Db } from 'mongodb';
import {
  COUPON_COLLECTIONS,
  CodeGenerator,
  DEFAULT_CHARSET,
  couponCodeSchema,
  randomRanks,
} from '@lib/coupons';

/**
 * Creates the codes collection with exactly the indexes the platform declares on it (or, named
 * otherwise, a collection just like it, for a baseline that runs beside the platform's).
 */
export async function createCodesCollection(db: Db, name: string = COUPON_COLLECTIONS.codes): Promise<void> {
  const codes = await db.createCollection(name);
  for (const [keys, options] of couponCodeSchema.indexes()) {
    await codes.createIndex(keys as Record<string, 1 | -1>, options as Record<string, unknown>);
  }
}

export function premadeCodes(count: number, couponBookId: string, jobId: string) {
  const generator = new CodeGenerator('########', DEFAULT_CHARSET);
  const ranks = randomRanks(count);
  const seen = new Set<string>();
  const docs = [];
  while (docs.length < count) {
    const code = generator.next();
    if (seen.has(code)) continue;
    seen.add(code);
    docs.push({ _id: code, couponBookId, rank: ranks[docs.length], assignedTo: null, jobId });
  }
  return docs;
}

/** Seconds for one unordered, majority-acknowledged insertMany of `docs` into `collection`. */
export async function rawInsertMany(
  db: Db,
  collection: string,
  docs: Array<Record<string, unknown>>,
): Promise<number> {
  const started = process.hrtime.bigint();
  await db.collection(collection).insertMany(docs, { ordered: false, writeConcern: { w: 'majority' } });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Seconds for the seed's way: every code in one transaction, inserted in batches of 1,000. */
export async function naiveTransaction(
  db: Db,
  client: import('mongodb').MongoClient,
  collection: string,
  count: number,
  couponBookId: string,
): Promise<number> {
  const codes = db.collection(collection);
  const session = client.startSession();
  const started = process.hrtime.bigint();
  try {
    await session.withTransaction(
      async () => {
        for (let done = 0; done < count; done += 1000) {
          const batch = [];
          for (let i = 0; i < Math.min(1000, count - done); i++) {
            let code = '';
            for (let c = 0; c < 8; c++)
              code += DEFAULT_CHARSET[Math.floor(Math.random() * 256) % DEFAULT_CHARSET.length];
            batch.push({
              _id: code,
              couponBookId,
              rank: Math.floor(Math.random() * 2 ** 31),
              assignedTo: null,
            });
          }
          await codes.insertMany(batch as never[], { session });
        }
      },
      { writeConcern: { w: 'majority' } },
    );
  } finally {
    await session.endSession();
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Assignments per second the count+skip way, at `concurrency`, for `seconds`. */
export async function countSkipAssignments(
  db: Db,
  couponBookId: string,
  concurrency: number,
  seconds: number,
): Promise<{ assignments: number; perSecond: number }> {
  const codes = db.collection(COUPON_COLLECTIONS.codes);
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  let assignments = 0;
  const worker = async (n: number) => {
    while (Date.now() < deadline) {
      const free = { couponBookId, assignedTo: null };
      const available = await codes.countDocuments(free);
      if (available === 0) return;
      const [doc] = await codes
        .find(free, { projection: { _id: 1 } })
        .skip(Math.floor(Math.random() * available))
        .limit(1)
        .toArray();
      if (!doc) continue;
      const claimed = await codes.updateOne(
        { _id: doc._id, assignedTo: null },
        { $set: { assignedTo: `baseline-${n}`, assignedAt: new Date() } },
      );
      assignments += claimed.modifiedCount;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, n) => worker(n)));
  const elapsed = (Date.now() - started) / 1000;
  return { assignments, perSecond: assignments / elapsed };
}
