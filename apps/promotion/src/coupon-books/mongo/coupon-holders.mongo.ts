import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { InjectModel, TransactionScope, driverCollection } from '@lib/persistence';
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
export const couponHolderSchema = new Schema<HolderDoc>(
  {
    _id: { type: String, required: true },
    couponBookId: { type: String, required: true },
    userId: { type: String, required: true },
    codes: { type: Number, required: true },
    redemptions: { type: Number, required: true },
  },
  { collection: 'coupon_holders', versionKey: false },
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

  takeCodeSlot(couponBookId: string, userId: string, max: number | null): Promise<boolean> {
    return this.take('codes', couponBookId, userId, max);
  }

  takeRedemptionSlot(couponBookId: string, userId: string, max: number | null): Promise<boolean> {
    return this.take('redemptions', couponBookId, userId, max);
  }

  async redemptions(couponBookId: string, userId: string): Promise<number> {
    const doc = await this.holders.findOne(
      { _id: holderId(couponBookId, userId) },
      { session: TransactionScope.session() },
    );
    return doc?.redemptions ?? 0;
  }

  /**
   * One write whether or not the holder exists yet: upsert and increment, and read the count back.
   * Over the limit, the increment is taken back (the refusal is rare, so it pays the second write).
   * In a transaction, concurrent takers of the last slot conflict on the holder and retry, and the
   * retry finds the slot gone.
   */
  private async take(
    field: 'codes' | 'redemptions',
    couponBookId: string,
    userId: string,
    max: number | null,
  ): Promise<boolean> {
    const session = TransactionScope.session();
    const _id = holderId(couponBookId, userId);
    const other = field === 'codes' ? 'redemptions' : 'codes';
    const holder = await this.holders.findOneAndUpdate(
      { _id },
      { $inc: { [field]: 1 }, $setOnInsert: { couponBookId, userId, [other]: 0 } },
      { upsert: true, returnDocument: 'after', projection: { [field]: 1 }, session },
    );
    if (max === null || holder![field] <= max) return true;
    await this.holders.updateOne({ _id }, { $inc: { [field]: -1 } }, { session });
    return false;
  }
}

const holderId = (couponBookId: string, userId: string) => `${couponBookId}:${userId}`;
