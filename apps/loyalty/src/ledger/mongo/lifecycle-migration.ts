import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Migration } from '@lib/persistence';
import { NEVER } from '../ports/points-ledger.repository';
import { POINTS, setLedgerValidators } from './points-ledger.schemas';

const PAYER_LOTS_INDEX = 'groupId_1_payer_1_timestamp_1_seq_1';
const orZero = (field: string) => ({ $ifNull: [field, 0] });

/**
 * Points lifecycle (pending, expiry, refunds, tiers): accounts and lots from before it get the
 * state they imply (nothing pending, nothing expiring, a purchase's lot qualifies for tiers), and
 * the validators learn the new counters: no pending, expired or refunded count below zero, and a
 * lot never accounts for more than it started with. Safe to run again: it only touches documents
 * without the new fields.
 */
export const pointsLifecycle: Migration = {
  id: '2026-12-07-loyalty-points-lifecycle',
  async up(connection: Connection) {
    const db = connection.db!;
    await db
      .collection('point_accounts')
      .updateMany(
        { pending: { $exists: false } },
        { $set: { pending: 0, nextChangeAt: NEVER, tierReviewAt: NEVER } },
      );
    const lots = db.collection('point_lots');
    const entries = db.collection('point_entries');
    const cursor = lots.find(
      { kind: { $exists: false } },
      { projection: { groupId: 1, reference: 1, points: 1, timestamp: 1 } },
    );
    let batch: AnyBulkWriteOperation<Document>[] = [];
    for await (const lot of cursor) {
      const earned = await entries.findOne({ groupId: lot.groupId, reference: lot.reference, type: 'EARN' });
      const kind = earned ? 'EARN' : 'ADJUST';
      batch.push({
        updateOne: {
          filter: { _id: lot._id },
          update: {
            $set: {
              kind,
              pending: false,
              availableAt: lot.timestamp,
              expired: 0,
              refunded: 0,
              qualifying: kind === 'EARN' ? lot.points : 0,
            },
          },
        },
      });
      if (batch.length === 500) {
        await lots.bulkWrite(batch, { ordered: false });
        batch = [];
      }
    }
    if (batch.length) await lots.bulkWrite(batch, { ordered: false });
    // Every lot insert paid for a per-payer index that only negative payer transactions used; the
    // qualifying-points index took its place on the purchase path.
    await lots.dropIndex(PAYER_LOTS_INDEX).catch((err: { codeName?: string }) => {
      if (err?.codeName !== 'IndexNotFound') throw err;
    });
    await setLedgerValidators(connection, {
      account: { balance: POINTS, seq: POINTS, pending: POINTS },
      lot: {
        remaining: POINTS,
        points: { ...POINTS, minimum: 1 },
        expired: POINTS,
        refunded: POINTS,
        qualifying: POINTS,
      },
      // A lot never accounts for more than it started with (spent is what is left over).
      lotBooks: { $lte: [{ $add: ['$remaining', orZero('$expired'), orZero('$refunded')] }, '$points'] },
    });
  },
};
