import { Schema } from 'mongoose';
import {
  BookStatsShardDoc,
  COUPON_COLLECTIONS,
  CouponCodeDoc,
  GenerationJobDoc,
  JOB_STATUSES,
} from '../coupon-store';

export const COUPON_CODE_MODEL = 'CouponCode';
export const couponCodeSchema = new Schema<CouponCodeDoc>(
  {
    _id: { type: String, required: true },
    couponBookId: { type: String, required: true },
    rank: { type: Number, required: true },
    assignedTo: { type: String, default: null },
    assignedAt: { type: Date, default: null },
    jobId: { type: String },
    redemptionCount: { type: Number },
    lastRedeemedAt: { type: Date },
    lockFence: { type: Number },
    lockedUntil: { type: Date },
    redeemedFence: { type: Number },
  },
  { collection: COUPON_COLLECTIONS.codes, versionKey: false },
);
// Assignment: seek the first free code of the book at or after a random rank, O(log n).
couponCodeSchema.index({ couponBookId: 1, assignedTo: 1, rank: 1 });
// A member's codes; only assigned codes enter it, so bulk generation doesn't pay for it.
couponCodeSchema.index(
  { assignedTo: 1, assignedAt: -1 },
  { partialFilterExpression: { assignedTo: { $type: 'string' } } },
);
// The CSV export walks one book's codes in code order, a page at a time: without it, each page
// scans every book's codes through _id (a 1,000-code book among 500,000 others: 501,000 keys read,
// 1.1-1.9 s, against 1,000 keys and 11-23 ms with it; bench/coupon-export.bench.ts), and among
// millions a page would outlast the RPC timeout.
couponCodeSchema.index({ couponBookId: 1, _id: 1 });
// A resumed generation job recounts what it already inserted.
couponCodeSchema.index({ jobId: 1 }, { partialFilterExpression: { jobId: { $exists: true } } });

export const GENERATION_JOB_MODEL = 'CouponGenerationJob';
export const generationJobSchema = new Schema<GenerationJobDoc>(
  {
    _id: { type: String, required: true },
    couponBookId: { type: String, required: true },
    status: { type: String, required: true, enum: JOB_STATUSES },
    requested: { type: Number, required: true },
    generated: { type: Number, required: true },
    pattern: { type: String, required: true },
    charset: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    owner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    error: { type: String, default: null },
  },
  { collection: COUPON_COLLECTIONS.jobs, versionKey: false },
);
generationJobSchema.index({ createdAt: -1, _id: -1 });
generationJobSchema.index({ couponBookId: 1, createdAt: -1, _id: -1 });
generationJobSchema.index({ status: 1, createdAt: -1, _id: -1 });

export const BOOK_STATS_MODEL = 'CouponBookStats';
export const bookStatsSchema = new Schema<BookStatsShardDoc>(
  {
    _id: { type: String, required: true },
    couponBookId: { type: String, required: true },
    total: { type: Number, required: true },
    assigned: { type: Number, required: true },
    redeemed: { type: Number, required: true },
  },
  { collection: COUPON_COLLECTIONS.bookStats, versionKey: false },
);
bookStatsSchema.index({ couponBookId: 1 });

/** What both promotion and the worker register with PersistenceModule.forFeature. */
export const SHARED_COUPON_MODELS = [
  { name: COUPON_CODE_MODEL, schema: couponCodeSchema },
  { name: GENERATION_JOB_MODEL, schema: generationJobSchema },
  { name: BOOK_STATS_MODEL, schema: bookStatsSchema },
];
