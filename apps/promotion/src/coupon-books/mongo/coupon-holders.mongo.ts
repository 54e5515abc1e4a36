import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { InjectModel, TransactionScope } from '@lib/persistence';
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
  private readonly holders: Collection<HolderDoc>;

  constructor(@InjectModel(COUPON_HOLDER_MODEL) holders: Model<HolderDoc>) {
    super();
    this.holders = holders.collection as unknown as Collection<HolderDoc>;
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
   * Make sure the holder exists, then a conditional increment: in a transaction, concurrent
   * takers of the last slot conflict and retry, and the retry sees the slot gone.
   */
  private async take(
    field: 'codes' | 'redemptions',
    couponBookId: string,
    userId: string,
    max: number | null,
  ): Promise<boolean> {
    const session = TransactionScope.session();
    const _id = holderId(couponBookId, userId);
    await this.holders.updateOne(
      { _id },
      { $setOnInsert: { couponBookId, userId, codes: 0, redemptions: 0 } },
      { upsert: true, session },
    );
    const filter: Record<string, unknown> = { _id };
    if (max !== null) filter[field] = { $lt: max };
    const result = await this.holders.updateOne(filter, { $inc: { [field]: 1 } }, { session });
    return result.modifiedCount === 1;
  }
}

const holderId = (couponBookId: string, userId: string) => `${couponBookId}:${userId}`;
