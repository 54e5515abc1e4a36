import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import { InjectModel, TransactionScope, driverCollection } from '@lib/persistence';
import { keysetFilter, keysetSort, type CursorKey } from '@lib/paging';
import type { Lot, LotSpend, PayerSpend } from '../domain/payer-lots';
import {
  AccountChange,
  AccountState,
  DayTotals,
  EntryRecord,
  HISTORY_ORDER,
  LotChange,
  LotRecord,
  NEVER,
  NewLot,
  PointsLedgerRepository,
  QualifyingPoints,
} from '../ports/points-ledger.repository';
import { ACCOUNT_MODEL, AccountDoc, ENTRY_MODEL, EntryDoc, LOT_MODEL, LotDoc } from './points-ledger.schemas';

const session = () => ({ session: TransactionScope.session() });
const payerField = (payer: string) => `byPayer.${payer}`;

function toAccount(doc: AccountDoc): AccountState {
  return {
    groupId: doc._id,
    balance: doc.balance,
    byPayer: doc.byPayer,
    seq: doc.seq,
    pending: doc.pending ?? 0,
    nextChangeAt: doc.nextChangeAt ?? NEVER,
    debitedPayers: doc.debitedPayers ?? [],
    tier: doc.tier,
    tierReviewAt: doc.tierReviewAt ?? NEVER,
  };
}

/** How many open lots a spend reads at a time: a redemption rarely needs more than the first. */
const LOTS_READ_AHEAD = 64;
const OLDEST_FIRST = { timestamp: 1, seq: 1 } as const;
const LOT_SPEND_FIELDS = { payer: 1, timestamp: 1, seq: 1, remaining: 1 } as const;

/** Lots a spend may take from: points left, and not pending (callers settle matured ones first). */
function openLotFilter(payer: string | undefined): Record<string, unknown> {
  return { remaining: { $gt: 0 }, pending: { $ne: true }, ...(payer ? { payer } : {}) };
}

function toOpenLot(doc: Pick<LotDoc, '_id' | 'payer' | 'timestamp' | 'seq' | 'remaining'>): Lot {
  return {
    lotId: doc._id,
    payer: doc.payer,
    timestamp: doc.timestamp,
    seq: doc.seq,
    remaining: doc.remaining,
  };
}

/** Lots from before the lifecycle migration read as what they were: available, never expiring. */
function toLot(doc: LotDoc): LotRecord {
  const { _id, ...rest } = doc;
  return {
    ...rest,
    lotId: _id,
    kind: doc.kind ?? 'EARN',
    pending: doc.pending ?? false,
    availableAt: doc.availableAt ?? doc.timestamp,
    expiresAt: doc.expiresAt ?? null,
    expired: doc.expired ?? 0,
    refunded: doc.refunded ?? 0,
    qualifying: doc.qualifying ?? 0,
  };
}

/** `$inc` and the filter that keeps every counter it lowers at zero or above. */
function counterUpdate(change: AccountChange): {
  filter: Record<string, unknown>;
  inc: Record<string, number>;
} {
  const filter: Record<string, unknown> = {};
  const inc: Record<string, number> = {};
  const add = (field: string, delta: number | undefined) => {
    if (!delta) return;
    inc[field] = delta;
    if (delta < 0) filter[field] = { $gte: -delta };
  };
  add('balance', change.balance);
  add('pending', change.pending);
  for (const [payer, delta] of Object.entries(change.byPayer ?? {})) add(payerField(payer), delta);
  if (change.seqs) inc.seq = change.seqs;
  return { filter, inc };
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

  async credit(
    groupId: string,
    credit: { payer: string; points: number; pending: boolean; changeAt: Date | null },
  ): Promise<AccountState> {
    const { payer, points } = credit;
    // A new payer shows in byPayer at 0 while its points are pending; a new account gets every counter.
    const inc = credit.pending
      ? { balance: 0, pending: points, [payerField(payer)]: 0, seq: 1 }
      : { balance: points, pending: 0, [payerField(payer)]: points, seq: 1 };
    const doc = await this.accountsCollection().findOneAndUpdate(
      { _id: groupId },
      {
        $inc: inc,
        $set: { updatedAt: new Date() },
        $min: { nextChangeAt: credit.changeAt ?? NEVER },
      },
      { upsert: true, returnDocument: 'after', ...session() },
    );
    return toAccount(doc as unknown as AccountDoc);
  }

  async change(groupId: string, change: AccountChange): Promise<AccountState> {
    const { filter, inc } = counterUpdate(change);
    const set: Record<string, unknown> = { updatedAt: new Date() };
    if (change.nextChangeAt) set.nextChangeAt = change.nextChangeAt;
    if (change.tier !== undefined) set.tier = change.tier;
    if (change.tierReviewAt) set.tierReviewAt = change.tierReviewAt;
    const update: Record<string, unknown> = { $set: set };
    if (Object.keys(inc).length) update.$inc = inc;
    const doc = await this.accountsCollection().findOneAndUpdate({ _id: groupId, ...filter }, update, {
      returnDocument: 'after',
      ...session(),
    });
    if (!doc) throw new Error(`refused: the change would take a counter of group ${groupId} below zero`);
    return toAccount(doc);
  }

  async debit(groupId: string, payers: PayerSpend[], debitedPayer?: string): Promise<AccountState> {
    const total = payers.reduce((sum, p) => sum + p.points, 0);
    const filter: Record<string, unknown> = { _id: groupId, balance: { $gte: total } };
    const inc: Record<string, number> = { balance: -total, seq: payers.length };
    for (const { payer, points } of payers) {
      filter[payerField(payer)] = { $gte: points };
      inc[payerField(payer)] = -points;
    }
    const update: Record<string, unknown> = { $inc: inc, $set: { updatedAt: new Date() } };
    if (debitedPayer) update.$addToSet = { debitedPayers: debitedPayer };
    const doc = await this.accountsCollection().findOneAndUpdate(filter, update, {
      returnDocument: 'after',
      ...session(),
    });
    if (!doc) throw new Error(`refused: debiting ${total} points would overdraw group ${groupId}`);
    return toAccount(doc);
  }

  async openLots(groupId: string, atLeast: number, payer?: string): Promise<Lot[]> {
    const cursor = this.lotsCollection().find(
      { groupId, ...openLotFilter(payer) },
      { ...session(), sort: OLDEST_FIRST, projection: LOT_SPEND_FIELDS, batchSize: LOTS_READ_AHEAD },
    );
    const lots: Lot[] = [];
    let held = 0;
    try {
      for await (const doc of cursor) {
        lots.push(toOpenLot(doc));
        held += doc.remaining;
        if (held >= atLeast) break;
      }
    } finally {
      await cursor.close();
    }
    return lots;
  }

  /**
   * One aggregate on the account with a $lookup of its oldest LOTS_READ_AHEAD open lots: a
   * redemption's two reads in one round trip (the lookup walks the lots' {groupId, timestamp, seq}
   * index like openLots does).
   */
  async accountWithOpenLots(
    groupId: string,
    atLeast: number,
    payer?: string,
  ): Promise<{ account: AccountState | null; lots: Lot[] | null }> {
    const [doc] = await this.accountsCollection()
      .aggregate<AccountDoc & { openLots: LotDoc[] }>(
        [
          { $match: { _id: groupId } },
          {
            $lookup: {
              from: this.lotsCollection().collectionName,
              localField: '_id',
              foreignField: 'groupId',
              pipeline: [
                { $match: openLotFilter(payer) },
                { $sort: OLDEST_FIRST },
                { $limit: LOTS_READ_AHEAD },
                { $project: LOT_SPEND_FIELDS },
              ],
              as: 'openLots',
            },
          },
        ],
        session(),
      )
      .toArray();
    if (!doc) return { account: null, lots: [] };
    const lots: Lot[] = [];
    let held = 0;
    for (const lot of doc.openLots) {
      lots.push(toOpenLot(lot));
      held += lot.remaining;
      if (held >= atLeast) return { account: toAccount(doc), lots };
    }
    // Fewer than read ahead: these are all there are. As many: there may be more.
    return { account: toAccount(doc), lots: doc.openLots.length < LOTS_READ_AHEAD ? lots : null };
  }

  async lots(lotIds: string[]): Promise<LotRecord[]> {
    if (!lotIds.length) return [];
    const docs = await this.lotsCollection()
      .find({ _id: { $in: lotIds } }, session())
      .toArray();
    return docs.map(toLot);
  }

  async dueLots(groupId: string, now: Date): Promise<LotRecord[]> {
    const [maturing, expiring] = await Promise.all([
      this.lotsCollection()
        .find({ groupId, pending: true, availableAt: { $lte: now } }, session())
        .toArray(),
      this.lotsCollection()
        .find({ groupId, remaining: { $gt: 0 }, expiresAt: { $type: 'date', $lte: now } } as never, session())
        .toArray(),
    ]);
    const byId = new Map<string, LotDoc>();
    for (const doc of [...maturing, ...expiring]) byId.set(doc._id, doc);
    return [...byId.values()].map(toLot);
  }

  async nextChange(groupId: string): Promise<Date> {
    const options = { ...session(), projection: { availableAt: 1, expiresAt: 1 } };
    const [maturing, expiring] = await Promise.all([
      this.lotsCollection().findOne({ groupId, pending: true }, { ...options, sort: { availableAt: 1 } }),
      this.lotsCollection().findOne(
        { groupId, remaining: { $gt: 0 }, expiresAt: { $type: 'date' } } as never,
        { ...options, sort: { expiresAt: 1 } },
      ),
    ]);
    const times = [maturing?.availableAt, expiring?.expiresAt, NEVER].filter((t): t is Date => !!t);
    return new Date(Math.min(...times.map(Number)));
  }

  async expiring(groupId: string, from: Date, until: Date): Promise<LotRecord[]> {
    const docs = await this.lotsCollection()
      .find(
        { groupId, remaining: { $gt: 0 }, expiresAt: { $type: 'date', $gt: from, $lte: until } } as never,
        {
          ...session(),
          sort: { expiresAt: 1 },
        },
      )
      .limit(1000)
      .toArray();
    return docs.map(toLot);
  }

  async qualifying(groupId: string, since: Date): Promise<QualifyingPoints> {
    const [row] = await this.lotsCollection()
      .aggregate<{ points: number; oldest: Date }>(
        [
          { $match: { groupId, kind: 'EARN', qualifying: { $gt: 0 }, timestamp: { $gt: since } } },
          { $project: { _id: 0, timestamp: 1, qualifying: 1 } },
          { $group: { _id: null, points: { $sum: '$qualifying' }, oldest: { $min: '$timestamp' } } },
        ],
        session(),
      )
      .toArray();
    return { points: row?.points ?? 0, oldest: row?.oldest ?? null };
  }

  async changeLots(changes: LotChange[]): Promise<void> {
    if (!changes.length) return;
    const result = await this.lotsCollection().bulkWrite(
      changes.map((change) => {
        const filter: Record<string, unknown> = { _id: change.lotId };
        if (change.expect?.remaining !== undefined) filter.remaining = change.expect.remaining;
        if (change.expect?.pending !== undefined)
          filter.pending = change.expect.pending ? true : { $ne: true };
        if (change.remaining && change.remaining < 0) filter.remaining ??= { $gte: -change.remaining };
        const inc: Record<string, number> = {};
        for (const field of ['remaining', 'expired', 'refunded', 'qualifying'] as const) {
          if (change[field]) inc[field] = change[field]!;
        }
        const update: Record<string, unknown> = {};
        if (Object.keys(inc).length) update.$inc = inc;
        if (change.matured) update.$set = { pending: false };
        return { updateOne: { filter: filter as never, update } };
      }),
      { ordered: true, ...session() },
    );
    if (result.matchedCount !== changes.length) {
      throw new Error(
        `refused: ${changes.length - result.matchedCount} lots no longer hold what was planned`,
      );
    }
  }

  async groupsDue(now: Date, limit: number): Promise<string[]> {
    const [settle, review] = await Promise.all([
      this.accountsCollection()
        .find({ nextChangeAt: { $lte: now } }, { projection: { _id: 1 } })
        .limit(limit)
        .toArray(),
      this.accountsCollection()
        .find({ tierReviewAt: { $lte: now } }, { projection: { _id: 1 } })
        .limit(limit)
        .toArray(),
    ]);
    return [...new Set([...settle, ...review].map((doc) => doc._id))].slice(0, limit);
  }

  async reviewTiers(at: Date): Promise<void> {
    await this.accountsCollection().updateMany(
      { tier: { $exists: true } },
      { $set: { tierReviewAt: at } },
      session(),
    );
  }

  async addLot(lot: NewLot, options: { atCommit?: boolean } = {}): Promise<void> {
    const { lotId, ...rest } = lot;
    if (options.atCommit)
      await TransactionScope.insertAtCommit(this.lotsCollection(), [{ _id: lotId, ...rest }]);
    else await this.lotsCollection().insertOne({ _id: lotId, ...rest }, session());
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

  /** Written when the transaction commits: no write reads entries back (only queries do). */
  async appendEntries(entries: EntryRecord[]): Promise<void> {
    if (!entries.length) return;
    const docs = entries.map(({ entryId, ...rest }) => ({ _id: entryId, ...rest }));
    await TransactionScope.insertAtCommit(this.entriesCollection(), docs);
  }

  async history(groupId: string, limit: number, after?: CursorKey): Promise<EntryRecord[]> {
    const docs = await this.entriesCollection()
      .find({ groupId, ...keysetFilter(HISTORY_ORDER, after) }, session())
      .sort({ groupId: 1, ...keysetSort(HISTORY_ORDER) })
      .limit(limit)
      .toArray();
    return docs.map(({ _id, ...rest }) => ({ entryId: _id, ...rest }));
  }

  countEntries(groupId: string): Promise<number> {
    // The history index (groupId, seq) covers it.
    return this.entriesCollection().countDocuments({ groupId }, session());
  }

  async totalsByDay(since: Date): Promise<DayTotals[]> {
    const credited = {
      $or: [{ $eq: ['$type', 'EARN'] }, { $and: [{ $eq: ['$type', 'ADJUST'] }, { $gt: ['$points', 0] }] }],
    };
    // Redeemed: what members spent, net of reversals.
    const redeemed = { $in: ['$type', ['REDEEM', 'REVERSAL']] };
    const rows = await this.entriesCollection()
      .aggregate<{ _id: string; earned: number; redeemed: number }>([
        { $match: { createdAt: { $gte: since } } },
        { $project: { _id: 0, createdAt: 1, type: 1, points: 1 } },
        {
          $group: {
            _id: { $dateToString: { format: '%Y-%m-%d', date: '$createdAt', timezone: 'UTC' } },
            earned: { $sum: { $cond: [credited, '$points', 0] } },
            redeemed: { $sum: { $cond: [redeemed, { $multiply: ['$points', -1] }, 0] } },
          },
        },
      ])
      .toArray();
    return rows.map((r) => ({ date: r._id, earned: r.earned, redeemed: r.redeemed }));
  }
}
