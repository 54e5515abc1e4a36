import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { API_CLIENT_STATUSES, type CountedPage } from '@lib/contracts';
import { NEWEST_FIRST, PageRequest, readPage } from '@lib/paging';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { ApiClient, ClientSecrets } from '../domain/api-client';
import { ApiClientsRepository } from '../ports/api-clients.repository';

type ApiClientDoc = Omit<ApiClient, 'clientId'> & { _id: string };

export const API_CLIENT_MODEL = 'ApiClient';
export const apiClientSchema = new Schema<ApiClientDoc>(
  {
    // The clientId: unique by being the _id.
    _id: { type: String, required: true },
    name: { type: String, required: true },
    scopes: { type: [String], required: true },
    status: { type: String, required: true, enum: API_CLIENT_STATUSES },
    secretHash: { type: String, required: true },
    secretCreatedAt: { type: Date, required: true },
    previousSecretHash: { type: String, default: null },
    previousSecretExpiresAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    lastTokenAt: { type: Date, default: null },
  },
  { collection: 'api_clients', versionKey: false },
);
// The admin list: the active clients, newest first by (createdAt, _id).
apiClientSchema.index({ status: 1, createdAt: -1, _id: -1 });

const toClient = ({ _id, ...doc }: ApiClientDoc): ApiClient => ({
  clientId: _id,
  name: doc.name,
  scopes: doc.scopes,
  status: doc.status,
  secretHash: doc.secretHash,
  secretCreatedAt: doc.secretCreatedAt,
  previousSecretHash: doc.previousSecretHash ?? null,
  previousSecretExpiresAt: doc.previousSecretExpiresAt ?? null,
  createdAt: doc.createdAt,
  revokedAt: doc.revokedAt ?? null,
  lastTokenAt: doc.lastTokenAt ?? null,
});

/** Driver calls: the token endpoint reads and writes one document by _id, with nothing to cast. */
@Injectable()
export class MongoApiClientsRepository extends ApiClientsRepository {
  private readonly clients: Collection<ApiClientDoc>;

  constructor(@InjectModel(API_CLIENT_MODEL) model: Model<ApiClientDoc>) {
    super();
    this.clients = model.collection as unknown as Collection<ApiClientDoc>;
  }

  async insert({ clientId, ...rest }: ApiClient): Promise<void> {
    await this.clients.insertOne({ _id: clientId, ...rest }, { session: TransactionScope.session() });
  }

  async findById(clientId: string): Promise<ApiClient | null> {
    const doc = await this.clients.findOne({ _id: clientId }, { session: TransactionScope.session() });
    return doc ? toClient(doc) : null;
  }

  async listActive(page: PageRequest): Promise<CountedPage<ApiClient>> {
    const session = TransactionScope.session();
    const [found, total] = await Promise.all([
      readPage(
        page,
        NEWEST_FIRST,
        ({ filter, sort, limit }) =>
          this.clients
            .find({ status: 'ACTIVE', ...filter }, { session })
            .sort(sort)
            .limit(limit)
            .toArray(),
        toClient,
      ),
      this.clients.countDocuments({ status: 'ACTIVE' }, { session }),
    ]);
    return { ...found, total };
  }

  async namesByIds(clientIds: string[]): Promise<Map<string, string>> {
    if (!clientIds.length) return new Map();
    const docs = await this.clients
      .find({ _id: { $in: clientIds } }, { session: TransactionScope.session(), projection: { name: 1 } })
      .toArray();
    return new Map(docs.map((doc) => [doc._id, doc.name]));
  }

  async replaceSecrets(clientId: string, secrets: ClientSecrets): Promise<boolean> {
    const result = await this.clients.updateOne(
      { _id: clientId, status: 'ACTIVE' },
      { $set: secrets },
      { session: TransactionScope.session() },
    );
    return result.matchedCount === 1;
  }

  async revoke(clientId: string, at: Date): Promise<boolean> {
    const result = await this.clients.updateOne(
      { _id: clientId, status: 'ACTIVE' },
      { $set: { status: 'REVOKED', revokedAt: at } },
      { session: TransactionScope.session() },
    );
    return result.matchedCount === 1;
  }

  async recordTokenIssued(clientId: string, at: Date): Promise<boolean> {
    const result = await this.clients.updateOne(
      { _id: clientId, status: 'ACTIVE' },
      { $set: { lastTokenAt: at } },
      { session: TransactionScope.session() },
    );
    return result.matchedCount === 1;
  }
}
