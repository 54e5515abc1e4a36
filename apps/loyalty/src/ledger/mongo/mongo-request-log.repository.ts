import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { keysetFilter, keysetSort, type CursorKey } from '@lib/paging';
import {
  RequestKey,
  RequestKind,
  RequestLog,
  RequestRecord,
  REQUESTS_ORDER,
} from '../ports/request-log.repository';
import { driverCollection } from './driver-collection';
import { REQUEST_MODEL, RequestDoc, requestId } from './request-log.schemas';

@Injectable()
export class MongoRequestLog extends RequestLog {
  constructor(@InjectModel(REQUEST_MODEL) requests: Model<RequestDoc>) {
    super();
    this.collection = driverCollection<RequestDoc>(requests);
  }

  private readonly collection: () => Collection<RequestDoc>;

  async find<T>(key: RequestKey): Promise<RequestRecord<T> | null> {
    const doc = await this.collection().findOne(
      { _id: requestId(key) },
      { session: TransactionScope.session() },
    );
    return doc ? (doc as unknown as RequestRecord<T>) : null;
  }

  async insert<T>(record: RequestRecord<T>): Promise<void> {
    await this.collection().insertOne(
      { _id: requestId(record), ...record },
      { session: TransactionScope.session() },
    );
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
}
