import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { COUPON_CODE_MODEL, CouponCodeDoc, patternRegex, randomRank, randomRanks } from '@lib/coupons';
import { InjectModel, TransactionScope, driverCollection } from '@lib/persistence';
import type { Coupon } from '../domain/coupon';
import { CouponCodesRepository, RedemptionEntry } from '../ports/coupon-codes.repository';

const toCoupon = (doc: CouponCodeDoc): Coupon => ({
  code: doc._id,
  couponBookId: doc.couponBookId,
  assignedTo: doc.assignedTo ?? null,
  assignedAt: doc.assignedAt ?? null,
  redemptionCount: doc.redemptionCount ?? 0,
  lockFence: doc.lockFence ?? null,
  lockedUntil: doc.lockedUntil ?? null,
});

interface RedemptionDoc extends Omit<RedemptionEntry, 'transactionId'> {
  _id: string;
}
export const COUPON_REDEMPTION_MODEL = 'CouponRedemption';
/** The redemption log: one entry per redemption, its `_id` the transactionId the client gets. */
export const couponRedemptionSchema = new Schema<RedemptionDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    couponBookId: { type: String, required: true },
    userId: { type: String, required: true },
    orderId: { type: String, default: null },
    fence: { type: Number, required: true },
    redeemedAt: { type: Date, required: true },
  },
  { collection: 'coupon_redemptions', versionKey: false },
);
couponRedemptionSchema.index({ code: 1, redeemedAt: -1 });
couponRedemptionSchema.index({ userId: 1, redeemedAt: -1 });

@Injectable()
export class MongoCouponCodesRepository extends CouponCodesRepository {
  private readonly codesCollection: () => Collection<CouponCodeDoc>;
  private readonly redemptionsCollection: () => Collection<RedemptionDoc>;

  constructor(
    @InjectModel(COUPON_CODE_MODEL) codes: Model<CouponCodeDoc>,
    @InjectModel(COUPON_REDEMPTION_MODEL) redemptions: Model<RedemptionDoc>,
  ) {
    super();
    // The driver's collections, typed: mongoose's casting and hooks cost more than these queries.
    this.codesCollection = driverCollection(codes);
    this.redemptionsCollection = driverCollection(redemptions);
  }

  private get codes() {
    return this.codesCollection();
  }

  private get redemptions() {
    return this.redemptionsCollection();
  }

  async pageOfBook(couponBookId: string, after: string | null, limit: number): Promise<Coupon[]> {
    const docs = await this.codes
      .find(after === null ? { couponBookId } : { couponBookId, _id: { $gt: after } })
      .sort({ _id: 1 })
      // Walk the book's codes in code order ({couponBookId, _id}): each page resumes where the last
      // stopped and reads only this book's codes, and a book of millions is never sorted in memory.
      .hint({ couponBookId: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toCoupon);
  }

  async existing(codes: string[]): Promise<Set<string>> {
    const docs = await this.codes
      .find({ _id: { $in: codes } }, { projection: { _id: 1 }, session: TransactionScope.session() })
      .toArray();
    return new Set(docs.map((d) => d._id));
  }

  /**
   * An anchored regex on `_id` (the code): MongoDB scans only the `_id` index range of the codes
   * that start with the pattern's literal prefix and tests the regex on the index keys, fetching no
   * document. The cost is that range: the codes sharing the prefix (all codes, for a pattern that
   * starts with `#`), measured at 0.5-0.75 s per million keys.
   */
  countOfPattern(pattern: string, charset: string): Promise<number> {
    return this.codes.countDocuments({ _id: { $regex: patternRegex(pattern, charset) } });
  }

  estimatedTotal(): Promise<number> {
    return this.codes.estimatedDocumentCount();
  }

  async insertUploaded(couponBookId: string, codes: string[]): Promise<void> {
    if (codes.length === 0) return;
    const ranks = randomRanks(codes.length);
    await this.codes.insertMany(
      codes.map((code, i) => ({ _id: code, couponBookId, rank: ranks[i], assignedTo: null })),
      { session: TransactionScope.session() },
    );
  }

  async claimRandom(couponBookId: string, userId: string, now: Date): Promise<Coupon | null> {
    const session = TransactionScope.session();
    const update = { $set: { assignedTo: userId, assignedAt: now } };
    const from = randomRank();
    // The first free code at or after a random rank, wrapping around to the start of the book: one
    // index seek either way, never a count or a skip.
    for (const [rank, direction] of [
      [{ $gte: from }, 1],
      [{ $lt: from }, -1],
    ] as const) {
      const doc = await this.codes.findOneAndUpdate({ couponBookId, assignedTo: null, rank }, update, {
        sort: { rank: direction },
        returnDocument: 'after',
        session,
      });
      if (doc) return toCoupon(doc);
    }
    return null;
  }

  async find(code: string): Promise<Coupon | null> {
    const doc = await this.codes.findOne({ _id: code }, { session: TransactionScope.session() });
    return doc ? toCoupon(doc) : null;
  }

  async listAssignedTo(userId: string, limit: number): Promise<Coupon[]> {
    const docs = await this.codes
      .find({ assignedTo: userId })
      .sort({ assignedAt: -1 })
      .limit(limit)
      .toArray();
    return docs.map(toCoupon);
  }

  async recordLock(code: string, fence: number, lockedUntil: Date): Promise<boolean> {
    const result = await this.codes.updateOne(
      { _id: code, $or: [{ lockFence: { $exists: false } }, { lockFence: { $lt: fence } }] },
      { $set: { lockFence: fence, lockedUntil } },
      { session: TransactionScope.session() },
    );
    return result.modifiedCount === 1;
  }

  async clearLock(code: string, fence: number, now: Date): Promise<void> {
    await this.codes.updateOne(
      { _id: code, lockFence: fence, lockedUntil: { $gt: now } },
      { $set: { lockedUntil: now } },
      { session: TransactionScope.session() },
    );
  }

  async redeem(
    code: string,
    userId: string,
    fence: number,
    now: Date,
    singleUse: boolean,
  ): Promise<Coupon | null> {
    const filter: Record<string, unknown> = {
      _id: code,
      assignedTo: userId,
      lockFence: fence,
      lockedUntil: { $gt: now },
      redeemedFence: { $ne: fence },
    };
    if (singleUse) filter.redemptionCount = { $not: { $gt: 0 } };
    const before = await this.codes.findOneAndUpdate(
      filter,
      {
        $set: { redeemedFence: fence, lastRedeemedAt: now, lockedUntil: now },
        $inc: { redemptionCount: 1 },
      },
      { returnDocument: 'before', session: TransactionScope.session() },
    );
    return before ? toCoupon(before) : null;
  }

  async recordRedemption(entry: RedemptionEntry): Promise<void> {
    const { transactionId, ...rest } = entry;
    await this.redemptions.insertOne(
      { _id: transactionId, ...rest },
      { session: TransactionScope.session() },
    );
  }
}
