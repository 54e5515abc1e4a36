import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { keysetFilter, keysetSort, type CursorKey } from '@lib/paging';
import type { Lot, LotSpend, PayerSpend } from '../domain/payer-lots';
import {
  AccountState,
  DayTotals,
  EntryRecord,
  HISTORY_ORDER,
  NewLot,
  PointsLedgerRepository,
} from '../ports/points-ledger.repository';
import { driverCollection } from './driver-collection';
import { ACCOUNT_MODEL, AccountDoc, ENTRY_MODEL, EntryDoc, LOT_MODEL, LotDoc } from './points-ledger.schemas';

const session = () => ({ session: TransactionScope.session() });
const payerField = (payer: string) => `byPayer.${payer}`;

function toAccount(doc: AccountDoc): AccountState {
  return { groupId: doc._id, balance: doc.balance, byPayer: doc.byPayer, seq: doc.seq };
}

/** The ledger on MongoDB, through the driver directly (mongoose's casting costs more than the writes). */
@Injectable()
export class MongoPointsLedgerRepository extends PointsLedgerRepository {
  constructor(
    @InjectModel(ACCOUNT_MODEL) accounts: Model<AccountDoc>,
    @InjectModel(LOT_MODEL) lots: Model<LotDoc>,
    @InjectModel(ENTRY_MODEL) entries: Model<EntryDoc>,
  ) {
    super();
    this.accountsCollection = driverCollection<AccountDoc>(accounts);
    this.lotsCollection = driverCollection<LotDoc>(lots);
    this.entriesCollection = driverCollection<EntryDoc>(entries);
  }

  private readonly accountsCollection: () => Collection<AccountDoc>;
  private readonly lotsCollection: () => Collection<LotDoc>;
  private readonly entriesCollection: () => Collection<EntryDoc>;

  async account(groupId: string): Promise<AccountState | null> {
    const doc = await this.accountsCollection().findOne({ _id: groupId }, session());
    return doc ? toAccount(doc) : null;
  }

  async credit(groupId: string, payer: string, points: number): Promise<AccountState> {
    const doc = await this.accountsCollection().findOneAndUpdate(
      { _id: groupId },
      { $inc: { balance: points, [payerField(payer)]: points, seq: 1 }, $set: { updatedAt: new Date() } },
      { upsert: true, returnDocument: 'after', ...session() },
    );
    return toAccount(doc as unknown as AccountDoc);
  }

  async debit(groupId: string, payers: PayerSpend[]): Promise<AccountState> {
    const total = payers.reduce((sum, p) => sum + p.points, 0);
    const filter: Record<string, unknown> = { _id: groupId, balance: { $gte: total } };
    const inc: Record<string, number> = { balance: -total, seq: payers.length };
    for (const { payer, points } of payers) {
      filter[payerField(payer)] = { $gte: points };
      inc[payerField(payer)] = -points;
    }
    const doc = await this.accountsCollection().findOneAndUpdate(
      filter,
      { $inc: inc, $set: { updatedAt: new Date() } },
      { returnDocument: 'after', ...session() },
    );
    if (!doc) throw new Error(`refused: debiting ${total} points would overdraw group ${groupId}`);
    return toAccount(doc);
  }

  async openLots(groupId: string, atLeast: number, payer?: string): Promise<Lot[]> {
    const cursor = this.lotsCollection().find(
      { groupId, remaining: { $gt: 0 }, ...(payer ? { payer } : {}) },
      {
        ...session(),
        sort: { timestamp: 1, seq: 1 },
        projection: { payer: 1, timestamp: 1, seq: 1, remaining: 1 },
        batchSize: 64,
      },
    );
    const lots: Lot[] = [];
    let held = 0;
    try {
      for await (const doc of cursor) {
        lots.push({
          lotId: doc._id,
          payer: doc.payer,
          timestamp: doc.timestamp,
          seq: doc.seq,
          remaining: doc.remaining,
        });
        held += doc.remaining;
        if (held >= atLeast) break;
      }
    } finally {
      await cursor.close();
    }
    return lots;
  }

  async addLot(lot: NewLot): Promise<void> {
    const { lotId, ...rest } = lot;
    await this.lotsCollection().insertOne({ _id: lotId, ...rest }, session());
  }

  async spendLots(spends: LotSpend[]): Promise<void> {
    if (!spends.length) return;
    const result = await this.lotsCollection().bulkWrite(
      spends.map(({ lotId, points }) => ({
        updateOne: {
          filter: { _id: lotId as never, remaining: { $gte: points } },
          update: { $inc: { remaining: -points } },
        },
      })),
      { ordered: true, ...session() },
    );
    if (result.matchedCount !== spends.length) {
      throw new Error(`refused: ${spends.length - result.matchedCount} lots no longer hold what was planned`);
    }
  }

  async appendEntries(entries: EntryRecord[]): Promise<void> {
    if (!entries.length) return;
    const docs = entries.map(({ entryId, ...rest }) => ({ _id: entryId, ...rest }));
    if (docs.length === 1) await this.entriesCollection().insertOne(docs[0], session());
    else await this.entriesCollection().insertMany(docs, session());
  }

  async history(groupId: string, limit: number, after?: CursorKey): Promise<EntryRecord[]> {
    const docs = await this.entriesCollection()
      .find({ groupId, ...keysetFilter(HISTORY_ORDER, after) }, session())
      .sort({ groupId: 1, ...keysetSort(HISTORY_ORDER) })
      .limit(limit)
      .toArray();
    return docs.map(({ _id, ...rest }) => ({ entryId: _id, ...rest }));
  }

  async totalsByDay(since: Date): Promise<DayTotals[]> {
    const credited = {
      $or: [{ $eq: ['$type', 'EARN'] }, { $and: [{ $eq: ['$type', 'ADJUST'] }, { $gt: ['$points', 0] }] }],
    };
    const rows = await this.entriesCollection()
      .aggregate<{ _id: string; earned: number; redeemed: number }>([
        { $match: { createdAt: { $gte: since } } },
        { $project: { _id: 0, createdAt: 1, type: 1, points: 1 } },
        {
          $group: {
            _id: { $dateToString: { format: '%Y-%m-%d', date: '$createdAt', timezone: 'UTC' } },
            earned: { $sum: { $cond: [credited, '$points', 0] } },
            redeemed: { $sum: { $cond: [{ $eq: ['$type', 'REDEEM'] }, { $multiply: ['$points', -1] }, 0] } },
          },
        },
      ])
      .toArray();
    return rows.map((r) => ({ date: r._id, earned: r.earned, redeemed: r.redeemed }));
  }
}
