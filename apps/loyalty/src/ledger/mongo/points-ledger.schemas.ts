import { Schema, type Connection } from 'mongoose';
import type { Migration } from '@lib/persistence';
import type { EntryRecord, NewLot } from '../ports/points-ledger.repository';

export interface AccountDoc {
  _id: string;
  balance: number;
  byPayer: Record<string, number>;
  seq: number;
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
    updatedAt: { type: Date, required: true },
  },
  { collection: 'point_accounts', versionKey: false, minimize: false },
);

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
  },
  { collection: 'point_lots', versionKey: false },
);
// Spending reads a group's lots with points left, oldest first (all payers, or one payer's).
// Spent lots drop out of these partial indexes, so they stay as small as the unspent points.
const unspent = { partialFilterExpression: { remaining: { $gt: 0 } } };
lotSchema.index({ groupId: 1, timestamp: 1, seq: 1 }, unspent);
lotSchema.index({ groupId: 1, payer: 1, timestamp: 1, seq: 1 }, unspent);

export const ENTRY_MODEL = 'PointEntry';
export const entrySchema = new Schema<EntryDoc>(
  {
    _id: { type: String, required: true },
    groupId: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true, enum: ['EARN', 'REDEEM', 'ADJUST'] },
    points: { type: Number, required: true },
    payer: { type: String, required: true },
    reference: { type: String, required: true },
    balanceAfter: { type: Number, required: true, min: 0 },
    createdAt: { type: Date, required: true },
    actorId: { type: String, required: true },
  },
  { collection: 'point_entries', versionKey: false },
);
// History pages newest first; unique, so two entries can never claim one place in a group's order.
entrySchema.index({ groupId: 1, seq: -1 }, { unique: true });
// Admin stats: points per day across groups, answered from the index alone.
entrySchema.index({ createdAt: 1, type: 1, points: 1 });

const POINTS = { bsonType: ['int', 'long', 'double'], minimum: 0 };

/**
 * Collection validators: the database itself refuses a negative balance, payer balance or lot
 * remainder, whatever an update says (mongoose's `min` only guards documents it saves itself).
 */
export const ledgerValidators: Migration = {
  id: '2026-11-25-loyalty-ledger-validators',
  async up(connection: Connection) {
    const db = connection.db!;
    await db.command({
      collMod: 'point_accounts',
      validator: {
        $jsonSchema: {
          bsonType: 'object',
          required: ['balance', 'byPayer', 'seq'],
          properties: {
            balance: POINTS,
            seq: POINTS,
            byPayer: { bsonType: 'object', additionalProperties: POINTS },
          },
        },
      },
      validationLevel: 'strict',
      validationAction: 'error',
    });
    await db.command({
      collMod: 'point_lots',
      validator: {
        $jsonSchema: {
          bsonType: 'object',
          required: ['remaining', 'points'],
          properties: { remaining: POINTS, points: { ...POINTS, minimum: 1 } },
        },
        $expr: { $lte: ['$remaining', '$points'] },
      },
      validationLevel: 'strict',
      validationAction: 'error',
    });
  },
};
