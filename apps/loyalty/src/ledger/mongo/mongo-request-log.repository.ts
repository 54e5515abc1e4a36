import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import { InjectModel, TransactionScope, driverCollection } from '@lib/persistence';
import { keysetFilter, keysetSort, type CursorKey } from '@lib/paging';
import type { Allocation } from '../domain/late-lots';
import {
  PurchaseDetail,
  RequestKey,
  RequestKind,
  RequestLog,
  RequestRecord,
  REQUESTS_ORDER,
} from '../ports/request-log.repository';
import { REQUEST_MODEL, RequestDoc, requestId } from './request-log.schemas';

@Injectable()
export class MongoRequestLog extends RequestLog {
  constructor(@InjectModel(REQUEST_MODEL) requests: Model<RequestDoc>) {
    super();
    this.collection = driverCollection<RequestDoc>(requests);
  }

  private readonly collection: () => Collection<RequestDoc>;
  private readonly session = () => ({ session: TransactionScope.session() });

  async find<T>(key: RequestKey): Promise<RequestRecord<T> | null> {
    const doc = await this.collection().findOne(
      { _id: requestId(key) },
      { session: TransactionScope.session() },
    );
    return doc ? (doc as unknown as RequestRecord<T>) : null;
  }

  /** Written when the transaction commits: nothing in it reads the record back. */
  async insert<T>(record: RequestRecord<T>): Promise<void> {
    await TransactionScope.insertAtCommit(this.collection(), [{ _id: requestId(record), ...record }]);
  }

  async list<T>(
    kind: RequestKind,
    groupId: string,
    limit: number,
    after?: CursorKey,
  ): Promise<Array<RequestRecord<T>>> {
    const docs = await this.collection()
      .find(
        { groupId, kind, ...keysetFilter(REQUESTS_ORDER, after) },
        { session: TransactionScope.session() },
      )
      .sort({ groupId: 1, kind: 1, ...keysetSort(REQUESTS_ORDER) })
      .limit(limit)
      .toArray();
    return docs as unknown as Array<RequestRecord<T>>;
  }

  async findEverywhere<T>(kind: RequestKind, businessId: string): Promise<Array<RequestRecord<T>>> {
    const docs = await this.collection().find({ businessId, kind }, this.session()).limit(10).toArray();
    return docs as unknown as Array<RequestRecord<T>>;
  }

  async addRefund(
    key: RequestKey,
    amountMinor: number,
    points: number,
    initial: PurchaseDetail,
  ): Promise<boolean> {
    await this.collection().updateOne(
      { _id: requestId(key), detail: { $exists: false } },
      { $set: { detail: initial } },
      this.session(),
    );
    const result = await this.collection().updateOne(
      {
        _id: requestId(key),
        // Refunds add up to at most the amount, checked by the write itself.
        $expr: { $lte: [{ $add: ['$detail.refundedMinor', amountMinor] }, '$detail.amountMinor'] },
      },
      { $inc: { 'detail.refundedMinor': amountMinor, 'detail.refundedPoints': points } },
      this.session(),
    );
    return result.modifiedCount === 1;
  }

  async setReversal(key: RequestKey, reversal: unknown): Promise<boolean> {
    const result = await this.collection().updateOne(
      { _id: requestId(key), 'detail.reversal': { $exists: false } },
      { $set: { 'detail.reversal': reversal } as never },
      this.session(),
    );
    return result.modifiedCount === 1;
  }

  async payerDebits(groupId: string, payer: string): Promise<Array<RequestRecord<unknown>>> {
    const docs = await this.collection()
      .find({ groupId, kind: 'transaction', 'detail.payer': payer } as never, this.session())
      .toArray();
    return docs;
  }

  async setAllocations(key: RequestKey, allocations: Allocation[]): Promise<void> {
    await this.collection().updateOne(
      { _id: requestId(key) },
      { $set: { 'detail.allocations': allocations } as never },
      this.session(),
    );
  }
}
