import { Schema } from 'mongoose';
import type { RequestRecord } from '../ports/request-log.repository';

export interface RequestDoc extends RequestRecord<unknown> {
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
