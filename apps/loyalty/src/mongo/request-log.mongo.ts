import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { driverCollection } from './driver-collection';
import { RequestKey, RequestKind, RequestLog, RequestRecord } from '../ledger/request-log';

interface RequestDoc extends RequestRecord<unknown> {
  /** kind:groupId:businessId — the unique key concurrent duplicates race for. */
  _id: string;
}

export const REQUEST_MODEL = 'LedgerRequest';
export const requestSchema = new Schema<RequestDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['purchase', 'redemption', 'transaction'] },
    groupId: { type: String, required: true },
    businessId: { type: String, required: true },
    fingerprint: { type: String, required: true },
    response: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'ledger_requests', versionKey: false, minimize: false },
);
// A group's purchases, newest first.
requestSchema.index({ groupId: 1, kind: 1, createdAt: -1, businessId: -1 });

// groupId is a UUID and kind a fixed word, so the key cannot be ambiguous whatever businessId holds.
const idOf = (key: RequestKey) => `${key.kind}:${key.groupId}:${key.businessId}`;

@Injectable()
export class MongoRequestLog extends RequestLog {
  constructor(@InjectModel(REQUEST_MODEL) requests: Model<RequestDoc>) {
    super();
    this.collection = driverCollection<RequestDoc>(requests);
  }

  private readonly collection: () => Collection<RequestDoc>;

  async find<T>(key: RequestKey): Promise<RequestRecord<T> | null> {
    const doc = await this.collection().findOne({ _id: idOf(key) }, { session: TransactionScope.session() });
    return doc ? (doc as unknown as RequestRecord<T>) : null;
  }

  async insert<T>(record: RequestRecord<T>): Promise<void> {
    await this.collection().insertOne(
      { _id: idOf(record), ...record },
      {
        session: TransactionScope.session(),
      },
    );
  }

  async list<T>(
    kind: RequestKind,
    groupId: string,
    limit: number,
    before?: { createdAt: Date; businessId: string },
  ): Promise<Array<RequestRecord<T>>> {
    const page = before
      ? {
          $or: [
            { createdAt: { $lt: before.createdAt } },
            { createdAt: before.createdAt, businessId: { $lt: before.businessId } },
          ],
        }
      : {};
    const docs = await this.collection()
      .find({ groupId, kind, ...page }, { session: TransactionScope.session() })
      .sort({ groupId: 1, kind: 1, createdAt: -1, businessId: -1 })
      .limit(limit)
      .toArray();
    return docs as unknown as Array<RequestRecord<T>>;
  }
}
