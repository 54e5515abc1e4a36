import { Injectable } from '@nestjs/common';
import { Schema, type Model } from 'mongoose';
import { InjectModel, TransactionScope, translateMongoError } from '@lib/persistence';
import { Voucher } from '../domain/voucher';
import { VouchersRepository } from '../ports/vouchers.repository';

type VoucherDoc = Omit<Voucher, 'voucherId'> & { _id: string };

export const VOUCHER_MODEL = 'Voucher';
export const voucherSchema = new Schema<VoucherDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    campaignId: { type: String, required: true },
    userId: { type: String, required: true },
    description: { type: String, default: null },
    discountPercent: { type: Number, required: true },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    redeemedAt: { type: Date, default: null },
    orderId: { type: String, default: null },
    eventId: { type: String, required: true },
  },
  { collection: 'vouchers', versionKey: false },
);
voucherSchema.index({ code: 1 }, { unique: true });
// At most one voucher per user per campaign, whatever the redeliveries or races.
voucherSchema.index({ campaignId: 1, userId: 1 }, { unique: true });
voucherSchema.index({ userId: 1, issuedAt: -1 });

const toVoucher = ({ _id, ...rest }: VoucherDoc): Voucher => ({
  voucherId: _id,
  code: rest.code,
  campaignId: rest.campaignId,
  userId: rest.userId,
  description: rest.description ?? null,
  discountPercent: rest.discountPercent,
  issuedAt: rest.issuedAt,
  expiresAt: rest.expiresAt,
  redeemedAt: rest.redeemedAt ?? null,
  orderId: rest.orderId ?? null,
  eventId: rest.eventId,
});

/** The driver directly: mongoose's casting and hooks cost more than these small writes and reads. */
@Injectable()
export class MongoVouchersRepository extends VouchersRepository {
  constructor(@InjectModel(VOUCHER_MODEL) private readonly vouchers: Model<VoucherDoc>) {
    super();
  }

  async insertMany(vouchers: Voucher[]): Promise<void> {
    if (!vouchers.length) return;
    const docs = vouchers.map(({ voucherId, ...rest }) => ({ _id: voucherId, ...rest }));
    try {
      await this.vouchers.collection.insertMany(docs as never[], { session: TransactionScope.session() });
    } catch (err) {
      throw translateMongoError(err);
    }
  }

  async holders(campaignId: string, userIds: string[]): Promise<Set<string>> {
    const docs = await this.vouchers.collection
      .find(
        { campaignId, userId: { $in: userIds } },
        { projection: { userId: 1 }, session: TransactionScope.session() },
      )
      .toArray();
    return new Set(docs.map((d) => d.userId as string));
  }

  async findById(voucherId: string): Promise<Voucher | null> {
    const doc = (await this.vouchers.collection.findOne(
      { _id: voucherId as never },
      { session: TransactionScope.session() },
    )) as VoucherDoc | null;
    return doc ? toVoucher(doc) : null;
  }

  async findByUser(userId: string): Promise<Voucher[]> {
    const docs = (await this.vouchers.collection
      .find({ userId }, { session: TransactionScope.session() })
      .sort({ issuedAt: -1 })
      .toArray()) as unknown as VoucherDoc[];
    return docs.map(toVoucher);
  }

  async redeem(voucherId: string, userId: string, orderId: string, at: Date): Promise<boolean> {
    const result = await this.vouchers.collection.updateOne(
      { _id: voucherId as never, userId, redeemedAt: null, expiresAt: { $gt: at } },
      { $set: { redeemedAt: at, orderId } },
      { session: TransactionScope.session() },
    );
    return result.modifiedCount === 1;
  }
}
