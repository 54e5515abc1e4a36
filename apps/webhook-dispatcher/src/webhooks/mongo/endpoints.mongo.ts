import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import {
  ALL_WEBHOOK_EVENTS,
  WEBHOOK_STATUSES,
  type CountedPage,
  type WebhookEventType,
} from '@lib/contracts';
import { NEWEST_FIRST, PageRequest, readPage } from '@lib/paging';
import { InjectModel, TransactionScope } from '@lib/persistence';
import type { WebhookEndpoint } from '../domain/endpoint';
import { EndpointChanges, EndpointsRepository } from '../ports/endpoints.repository';

type EndpointDoc = Omit<WebhookEndpoint, 'webhookId'> & { _id: string };

export const ENDPOINT_MODEL = 'WebhookEndpoint';
export const endpointSchema = new Schema<EndpointDoc>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    description: { type: String, default: null },
    status: { type: String, required: true, enum: WEBHOOK_STATUSES },
    disabledReason: { type: String, default: null },
    failingSince: { type: Date, default: null },
    secret: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'webhook_endpoints', versionKey: false },
);
endpointSchema.index({ createdAt: -1, _id: -1 });
endpointSchema.index({ status: 1, events: 1 });

const toEndpoint = ({ _id, ...doc }: EndpointDoc): WebhookEndpoint => ({
  webhookId: _id,
  url: doc.url,
  events: doc.events,
  description: doc.description ?? null,
  status: doc.status,
  disabledReason: doc.disabledReason ?? null,
  failingSince: doc.failingSince ?? null,
  secret: doc.secret,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

@Injectable()
export class MongoEndpointsRepository extends EndpointsRepository {
  private readonly endpoints: Collection<EndpointDoc>;

  constructor(@InjectModel(ENDPOINT_MODEL) model: Model<EndpointDoc>) {
    super();
    this.endpoints = model.collection as unknown as Collection<EndpointDoc>;
  }

  async insert({ webhookId, ...rest }: WebhookEndpoint): Promise<void> {
    await this.endpoints.insertOne({ _id: webhookId, ...rest }, { session: TransactionScope.session() });
  }

  async get(webhookId: string): Promise<WebhookEndpoint | null> {
    const doc = await this.endpoints.findOne({ _id: webhookId }, { session: TransactionScope.session() });
    return doc ? toEndpoint(doc) : null;
  }

  async update(webhookId: string, changes: EndpointChanges, at: Date): Promise<WebhookEndpoint | null> {
    const doc = await this.endpoints.findOneAndUpdate(
      { _id: webhookId },
      { $set: { ...changes, updatedAt: at } },
      { returnDocument: 'after', session: TransactionScope.session() },
    );
    return doc ? toEndpoint(doc) : null;
  }

  async delete(webhookId: string): Promise<boolean> {
    const result = await this.endpoints.deleteOne(
      { _id: webhookId },
      { session: TransactionScope.session() },
    );
    return result.deletedCount === 1;
  }

  async page(request: PageRequest): Promise<CountedPage<WebhookEndpoint>> {
    const session = TransactionScope.session();
    const [found, total] = await Promise.all([
      readPage(
        request,
        NEWEST_FIRST,
        ({ filter, sort, limit }) =>
          this.endpoints.find(filter, { session }).sort(sort).limit(limit).toArray(),
        toEndpoint,
      ),
      this.endpoints.countDocuments({}, { session }),
    ]);
    return { ...found, total };
  }

  async enabledFor(types: WebhookEventType[]): Promise<WebhookEndpoint[]> {
    const docs = await this.endpoints
      .find(
        { status: 'ENABLED', events: { $in: [ALL_WEBHOOK_EVENTS, ...types] } },
        { session: TransactionScope.session() },
      )
      .toArray();
    return docs.map(toEndpoint);
  }

  async allEnabled(): Promise<WebhookEndpoint[]> {
    const docs = await this.endpoints.find({ status: 'ENABLED' }).toArray();
    return docs.map(toEndpoint);
  }

  async recordFailure(webhookId: string, at: Date): Promise<Date | null> {
    // Only the first failure after a success writes; later ones read what it set.
    const doc = await this.endpoints.findOneAndUpdate(
      { _id: webhookId, failingSince: null },
      { $set: { failingSince: at } },
      { returnDocument: 'after', projection: { failingSince: 1 } },
    );
    if (doc) return doc.failingSince;
    const current = await this.endpoints.findOne({ _id: webhookId }, { projection: { failingSince: 1 } });
    return current?.failingSince ?? null;
  }

  async recordSuccess(webhookIds: string[]): Promise<void> {
    if (!webhookIds.length) return;
    await this.endpoints.updateMany(
      { _id: { $in: webhookIds }, failingSince: { $ne: null } },
      { $set: { failingSince: null } },
    );
  }

  async disableFailing(webhookId: string, failingSince: Date, at: Date): Promise<boolean> {
    const result = await this.endpoints.updateOne(
      { _id: webhookId, status: 'ENABLED', failingSince },
      { $set: { status: 'DISABLED', disabledReason: 'FAILING', updatedAt: at } },
      { session: TransactionScope.session() },
    );
    return result.modifiedCount === 1;
  }
}
