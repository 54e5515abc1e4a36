import { Schema, type Connection } from 'mongoose';
import type { Migration } from '@lib/persistence';
import type { RequestKey, RequestRecord } from '../ports/request-log.repository';

export interface RequestDoc extends RequestRecord<unknown> {
  /** kind:scope:businessId — the unique key concurrent duplicates race for. */
  _id: string;
}

/**
 * The unique key of (kind, scope, businessId), as `_id`: the primary key's index is the one that
 * decides between concurrent duplicates, and no second unique index costs every insert. The kind
 * is a fixed word and the scope a UUID, so the key cannot be ambiguous whatever businessId holds.
 */
export const requestId = (key: RequestKey) => `${key.kind}:${key.scope}:${key.businessId}`;

export const REQUEST_MODEL = 'LedgerRequest';
export const requestSchema = new Schema<RequestDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['purchase', 'redemption', 'transaction', 'refund'] },
    scope: { type: String, required: true },
    groupId: { type: String, required: true },
    businessId: { type: String, required: true },
    fingerprint: { type: String, required: true },
    response: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    detail: { type: Schema.Types.Mixed, required: false },
  },
  { collection: 'ledger_requests', versionKey: false, minimize: false },
);
// A group's purchases, newest first (REQUESTS_ORDER), whichever client recorded them.
requestSchema.index({ groupId: 1, kind: 1, createdAt: -1, businessId: -1, scope: -1 });
// An admin reverses a redemption by its id alone; only redemptions carry this index.
requestSchema.index({ businessId: 1, kind: 1 }, { partialFilterExpression: { kind: 'redemption' } });
// A late lot looks up its payer's negative transactions in the group; only those carry it.
requestSchema.index(
  { groupId: 1, 'detail.payer': 1 },
  { partialFilterExpression: { kind: 'transaction', 'detail.payer': { $exists: true } } },
);
/** The listing's index before scopes broke its ties; REQUESTS_ORDER's index replaces it. */
const UNSCOPED_LISTING_INDEX = 'groupId_1_kind_1_createdAt_-1_businessId_-1';

/**
 * Records written before business ids were scoped were keyed by their group, which was then the
 * only scope: `_id` was already kind:groupId:businessId, so each keeps its key and gains the
 * `scope` field it implies. The listing's old index (the new one is built before migrations run)
 * is dropped. Safe to run again: it only touches records without a scope, and an index gone.
 */
export const requestScopes: Migration = {
  id: '2026-12-06-loyalty-request-scopes',
  async up(connection: Connection) {
    const requests = connection.db!.collection('ledger_requests');
    await requests.updateMany({ scope: { $exists: false } }, [{ $set: { scope: '$groupId' } }]);
    await requests.dropIndex(UNSCOPED_LISTING_INDEX).catch((err: { codeName?: string }) => {
      if (err?.codeName !== 'IndexNotFound') throw err;
    });
  },
};
