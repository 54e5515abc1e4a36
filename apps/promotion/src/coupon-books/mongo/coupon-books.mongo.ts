import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import type { Page } from '@lib/contracts';
import {
  BOOK_STATS_MODEL,
  BookStatsShardDoc,
  STATS_SHARDS,
  nextStatsShard,
  statsShardId,
} from '@lib/coupons';
import { NEWEST_FIRST, PageRequest, readPage } from '@lib/paging';
import { InjectModel, TransactionScope, driverCollection } from '@lib/persistence';
import type { CouponBook, CouponBookStats } from '../domain/coupon-book';
import { CouponBooksRepository } from '../ports/coupon-books.repository';

type BookDoc = Omit<CouponBook, 'couponBookId'> & { _id: string };

export const COUPON_BOOK_MODEL = 'CouponBook';
export const couponBookSchema = new Schema<BookDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: null },
    startsAt: { type: Date, default: null },
    endsAt: { type: Date, default: null },
    maxCodesPerUser: { type: Number, default: null },
    maxRedemptionsPerUser: { type: Number, default: null },
    allowMultipleRedemptions: { type: Boolean, required: true },
    codePattern: { type: String, required: true },
    charset: { type: String, required: true },
    active: { type: Boolean, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'coupon_books', versionKey: false },
);
couponBookSchema.index({ createdAt: -1, _id: -1 });

const toBook = ({ _id, ...rest }: BookDoc): CouponBook => ({ couponBookId: _id, ...rest });

@Injectable()
export class MongoCouponBooksRepository extends CouponBooksRepository {
  private readonly shardsCollection: () => Collection<BookStatsShardDoc>;

  constructor(
    @InjectModel(COUPON_BOOK_MODEL) private readonly books: Model<BookDoc>,
    @InjectModel(BOOK_STATS_MODEL) private readonly shards: Model<BookStatsShardDoc>,
  ) {
    super();
    // bumpStats is on the hot paths (assignment, redemption): the driver's collection for it.
    this.shardsCollection = driverCollection(shards);
  }

  async insert(book: CouponBook): Promise<void> {
    const { couponBookId, ...rest } = book;
    const session = TransactionScope.session();
    await this.books.collection.insertOne({ _id: couponBookId as never, ...rest }, { session });
    await this.shards.collection.insertMany(
      Array.from({ length: STATS_SHARDS }, (_, i) => ({
        _id: statsShardId(couponBookId, i) as never,
        couponBookId,
        total: 0,
        assigned: 0,
        redeemed: 0,
      })),
      { session },
    );
  }

  async findById(couponBookId: string): Promise<CouponBook | null> {
    const doc = (await this.books.collection.findOne(
      { _id: couponBookId as never },
      { session: TransactionScope.session() },
    )) as BookDoc | null;
    return doc ? toBook(doc) : null;
  }

  list(page: PageRequest): Promise<Page<CouponBook>> {
    return readPage(
      page,
      NEWEST_FIRST,
      ({ filter, sort, limit }) =>
        this.books.collection.find(filter).sort(sort).limit(limit).toArray() as unknown as Promise<BookDoc[]>,
      toBook,
    );
  }

  count(): Promise<number> {
    return this.books.collection.countDocuments({});
  }

  async names(couponBookIds: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(couponBookIds)];
    if (unique.length === 0) return new Map();
    const docs = await this.books.collection
      .find({ _id: { $in: unique as never[] } }, { projection: { name: 1 } })
      .toArray();
    return new Map(docs.map((d) => [String(d._id), d.name as string]));
  }

  async setActive(couponBookId: string, active: boolean): Promise<CouponBook | null> {
    const doc = (await this.books.collection.findOneAndUpdate(
      { _id: couponBookId as never },
      { $set: { active } },
      { returnDocument: 'after', session: TransactionScope.session() },
    )) as BookDoc | null;
    return doc ? toBook(doc) : null;
  }

  async stats(couponBookIds: string[]): Promise<Map<string, CouponBookStats>> {
    const rows = await this.shards.collection
      .aggregate<{ _id: string } & CouponBookStats>(
        [
          { $match: { couponBookId: { $in: couponBookIds } } },
          {
            $group: {
              _id: '$couponBookId',
              total: { $sum: '$total' },
              assigned: { $sum: '$assigned' },
              redeemed: { $sum: '$redeemed' },
            },
          },
        ],
        { session: TransactionScope.session() },
      )
      .toArray();
    const out = new Map<string, CouponBookStats>();
    for (const id of couponBookIds) out.set(id, { total: 0, assigned: 0, redeemed: 0 });
    for (const { _id, total, assigned, redeemed } of rows) out.set(_id, { total, assigned, redeemed });
    return out;
  }

  /**
   * At the commit, to one shard per book and transaction: the assignments sharing a transaction
   * (group commit) bump their book once, by their sum.
   */
  async bumpStats(couponBookId: string, delta: Partial<CouponBookStats>): Promise<void> {
    await TransactionScope.incrementAtCommit(
      this.shardsCollection(),
      couponBookId,
      () => nextStatsShard(couponBookId),
      delta,
    );
  }
}
