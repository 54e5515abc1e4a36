import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { UserLoggedInV1 } from '@lib/contracts';
import { campaignDocument } from './vouchers-setup';

/**
 * The baseline: the raw MongoDB driver, no broker, no framework, one transaction per event:
 * record the event id, take one from `remaining` (only while some are left), insert the voucher.
 * `concurrency` transactions run at a time. Returns events per second and the vouchers issued.
 */
export async function runRawBaseline(
  mongoUri: string,
  dbName: string,
  voucherLimit: number,
  events: UserLoggedInV1[],
  concurrency: number,
): Promise<{ seconds: number; issued: number }> {
  const client = await new MongoClient(mongoUri, { maxPoolSize: Math.max(10, concurrency * 2) }).connect();
  try {
    const db = client.db(dbName);
    await db.dropDatabase();
    const campaigns = db.collection<{ _id: string; remaining: number; issued: number }>('campaigns');
    const vouchers = db.collection('vouchers');
    const processed = db.collection<{ _id: string }>('processed_events');
    for (const name of ['campaigns', 'vouchers', 'processed_events']) await db.createCollection(name);
    await vouchers.createIndex({ code: 1 }, { unique: true });
    await vouchers.createIndex({ campaignId: 1, userId: 1 }, { unique: true });
    const campaign = campaignDocument(voucherLimit) as { _id: string; remaining: number; issued: number };
    await campaigns.insertOne(campaign);

    const queue = [...events];
    const started = process.hrtime.bigint();
    const worker = async () => {
      const session = client.startSession();
      try {
        for (let e = queue.shift(); e; e = queue.shift()) {
          const event = e;
          await session.withTransaction(
            async () => {
              await processed.insertOne({ _id: `baseline:${event.eventId}` }, { session });
              const taken = await campaigns.updateOne(
                { _id: campaign._id, remaining: { $gt: 0 } },
                { $inc: { remaining: -1, issued: 1 } },
                { session },
              );
              if (taken.modifiedCount !== 1) return;
              const now = new Date();
              await vouchers.insertOne(
                {
                  _id: randomUUID() as never,
                  code: randomBytes(8).toString('hex'),
                  campaignId: campaign._id,
                  userId: event.userId,
                  issuedAt: now,
                  expiresAt: new Date(now.getTime() + 30 * 86_400_000),
                  redeemedAt: null,
                  orderId: null,
                  eventId: event.eventId,
                },
                { session },
              );
            },
            { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
          );
        }
      } finally {
        await session.endSession();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const issued = await vouchers.countDocuments();
    await db.dropDatabase();
    return { seconds, issued };
  } finally {
    await client.close();
  }
}
