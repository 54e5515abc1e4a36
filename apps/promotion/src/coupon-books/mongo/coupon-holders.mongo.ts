import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { InjectModel, TransactionScope, UniqueViolation, driverCollection } from '@lib/persistence';
import { CouponHoldersRepository } from '../ports/coupon-holders.repository';

/** Per user and book: the codes they got and the redemptions they made, bounded by the book. */
interface HolderDoc {
  _id: string;
  couponBookId: string;
  userId: string;
  codes: number;
  redemptions: number;
}
export const COUPON_HOLDER_MODEL = 'CouponHolder';
const HOLDERS_COLLECTION = 'coupon_holders';
export const couponHolderSchema = new Schema<HolderDoc>(
  {
    _id: { type: String, required: true },
    couponBookId: { type: String, required: true },
    userId: { type: String, required: true },
    codes: { type: Number, required: true },
    redemptions: { type: Number, required: true },
  },
  { collection: HOLDERS_COLLECTION, versionKey: false },
);

@Injectable()
export class MongoCouponHoldersRepository extends CouponHoldersRepository {
  private readonly holdersCollection: () => Collection<HolderDoc>;

  constructor(@InjectModel(COUPON_HOLDER_MODEL) holders: Model<HolderDoc>) {
    super();
    this.holdersCollection = driverCollection(holders);
  }

  private get holders() {
    return this.holdersCollection();
  }

  /**
   * An upsert that matches only a holder below `max`: a new holder is inserted with its first slot
   * (max ≥ 1), one below the limit is incremented, and one at the limit matches nothing, so the
   * upsert's insert runs into the holder's own _id (a duplicate key) and fails the commit.
   * Concurrent takers of the same holder conflict on it and are retried, as before.
   */
  takeCodeSlotAtCommit(couponBookId: string, userId: string, max: number): Promise<void> {
    return TransactionScope.updateAtCommit(this.holders, {
      updateOne: {
        filter: { _id: holderId(couponBookId, userId), codes: { $lt: max } },
        update: { $inc: { codes: 1 }, $setOnInsert: { couponBookId, userId, redemptions: 0 } },
        upsert: true,
      },
    });
  }

  isSlotRefusal(err: unknown): boolean {
    return err instanceof UniqueViolation && err.collection === HOLDERS_COLLECTION;
  }

  async redemptions(couponBookId: string, userId: string): Promise<number> {
    return (await this.holder(couponBookId, userId))?.redemptions ?? 0;
  }

  async codesHeld(couponBookId: string, userId: string): Promise<number> {
    return (await this.holder(couponBookId, userId))?.codes ?? 0;
  }

  private holder(couponBookId: string, userId: string): Promise<HolderDoc | null> {
    return this.holders.findOne(
      { _id: holderId(couponBookId, userId) },
      { session: TransactionScope.session() },
    );
  }

  /**
   * One write whether or not the holder exists yet: upsert and increment, and read the count back.
   * Over the limit, the increment is taken back (the refusal is rare, so it pays the second write).
   * In a transaction, concurrent takers of the last slot conflict on the holder and retry, and the
   * retry finds the slot gone.
   */
  async takeRedemptionSlot(couponBookId: string, userId: string, max: number | null): Promise<boolean> {
    const session = TransactionScope.session();
    const _id = holderId(couponBookId, userId);
    const holder = await this.holders.findOneAndUpdate(
      { _id },
      { $inc: { redemptions: 1 }, $setOnInsert: { couponBookId, userId, codes: 0 } },
      { upsert: true, returnDocument: 'after', projection: { redemptions: 1 }, session },
    );
    if (max === null || holder!.redemptions <= max) return true;
    await this.holders.updateOne({ _id }, { $inc: { redemptions: -1 } }, { session });
    return false;
  }
}

const holderId = (couponBookId: string, userId: string) => `${couponBookId}:${userId}`;
