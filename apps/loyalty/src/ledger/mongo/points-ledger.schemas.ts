import { Schema, type Connection } from 'mongoose';
import type { Migration } from '@lib/persistence';
import { NEVER, type EntryRecord, type NewLot } from '../ports/points-ledger.repository';

export interface AccountDoc {
  _id: string;
  balance: number;
  byPayer: Record<string, number>;
  seq: number;
  /** Absent on accounts from before pending points: 0. */
  pending?: number;
  /** Absent before pending points and expiry: NEVER. */
  nextChangeAt?: Date;
  debitedPayers?: string[];
  tier?: string;
  tierReviewAt?: Date;
  updatedAt: Date;
}
export type LotDoc = Omit<NewLot, 'lotId'> & { _id: string };
export type EntryDoc = Omit<EntryRecord, 'entryId'> & { _id: string };

export const ACCOUNT_MODEL = 'PointAccount';
export const accountSchema = new Schema<AccountDoc>(
  {
    _id: { type: String, required: true },
    balance: { type: Number, required: true, min: 0 },
    byPayer: { type: Schema.Types.Mixed, required: true },
    seq: { type: Number, required: true, min: 0 },
    pending: { type: Number, min: 0 },
    nextChangeAt: { type: Date },
    debitedPayers: { type: [String], default: undefined },
    tier: { type: String },
    tierReviewAt: { type: Date },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'point_accounts', versionKey: false, minimize: false },
);
// The sweep finds groups with lots to settle or a tier to review; groups with nothing due
// (NEVER, or no field at all) stay out of these indexes.
accountSchema.index({ nextChangeAt: 1 }, { partialFilterExpression: { nextChangeAt: { $lt: NEVER } } });
accountSchema.index({ tierReviewAt: 1 }, { partialFilterExpression: { tierReviewAt: { $lt: NEVER } } });

export const LOT_MODEL = 'PointLot';
export const lotSchema = new Schema<LotDoc>(
  {
    _id: { type: String, required: true },
    groupId: { type: String, required: true },
    payer: { type: String, required: true },
    timestamp: { type: Date, required: true },
    seq: { type: Number, required: true },
    points: { type: Number, required: true, min: 1 },
    remaining: { type: Number, required: true, min: 0 },
    reference: { type: String, required: true },
    kind: { type: String, enum: ['EARN', 'ADJUST'] },
    pending: { type: Boolean },
    availableAt: { type: Date },
    expiresAt: { type: Date },
    expired: { type: Number, min: 0 },
    refunded: { type: Number, min: 0 },
    qualifying: { type: Number, min: 0 },
  },
  { collection: 'point_lots', versionKey: false },
);
// Spending reads a group's lots with points left, oldest first (all payers; a negative payer
// transaction, rare next to purchases, filters one payer's from the same walk). Spent lots drop
// out of this partial index, so it stays as small as the unspent points.
lotSchema.index({ groupId: 1, timestamp: 1, seq: 1 }, { partialFilterExpression: { remaining: { $gt: 0 } } });
// Settling: pending lots by when they mature, lots with points left by when they expire.
lotSchema.index({ groupId: 1, availableAt: 1 }, { partialFilterExpression: { pending: true } });
lotSchema.index(
  { groupId: 1, expiresAt: 1 },
  { partialFilterExpression: { remaining: { $gt: 0 }, expiresAt: { $type: 'date' } } },
);
// Tiers: a group's qualifying points in the window, answered from the index alone.
lotSchema.index(
  { groupId: 1, timestamp: 1, qualifying: 1 },
  { partialFilterExpression: { kind: 'EARN', qualifying: { $gt: 0 } } },
);

export const ENTRY_MODEL = 'PointEntry';
export const entrySchema = new Schema<EntryDoc>(
  {
    _id: { type: String, required: true },
    groupId: { type: String, required: true },
    seq: { type: Number, required: true },
    type: {
      type: String,
      required: true,
      enum: ['EARN', 'REDEEM', 'ADJUST', 'EXPIRE', 'REFUND', 'REVERSAL'],
    },
    points: { type: Number, required: true },
    payer: { type: String, required: true },
    reference: { type: String, required: true },
    balanceAfter: { type: Number, required: true, min: 0 },
    reason: { type: String },
    createdAt: { type: Date, required: true },
    actorId: { type: String, required: true },
  },
  { collection: 'point_entries', versionKey: false },
);
// History pages newest first; unique, so two entries can never claim one place in a group's order.
entrySchema.index({ groupId: 1, seq: -1 }, { unique: true });
// Admin stats: points per day across groups, answered from the index alone.
entrySchema.index({ createdAt: 1, type: 1, points: 1 });

/** A non-negative count of points, as a collection validator says it. */
export const POINTS = { bsonType: ['int', 'long', 'double'], minimum: 0 };

/** The validators of the accounts and the lots, replaced whole (collMod, strict, refusing). */
export async function setLedgerValidators(
  connection: Connection,
  rules: {
    account: Record<string, unknown>;
    lot: Record<string, unknown>;
    lotBooks: Record<string, unknown>;
  },
): Promise<void> {
  const db = connection.db!;
  const strict = { validationLevel: 'strict', validationAction: 'error' };
  await db.command({
    collMod: 'point_accounts',
    validator: {
      $jsonSchema: {
        bsonType: 'object',
        required: ['balance', 'byPayer', 'seq'],
        properties: { ...rules.account, byPayer: { bsonType: 'object', additionalProperties: POINTS } },
      },
    },
    ...strict,
  });
  await db.command({
    collMod: 'point_lots',
    validator: {
      $jsonSchema: { bsonType: 'object', required: ['remaining', 'points'], properties: rules.lot },
      $expr: rules.lotBooks,
    },
    ...strict,
  });
}

/**
 * Collection validators: the database itself refuses a negative balance, payer balance or lot
 * remainder, whatever an update says (mongoose's `min` only guards documents it saves itself).
 */
export const ledgerValidators: Migration = {
  id: '2026-11-25-loyalty-ledger-validators',
  async up(connection: Connection) {
    await setLedgerValidators(connection, {
      account: { balance: POINTS, seq: POINTS },
      lot: { remaining: POINTS, points: { ...POINTS, minimum: 1 } },
      lotBooks: { $lte: ['$remaining', '$points'] },
    });
  },
};
