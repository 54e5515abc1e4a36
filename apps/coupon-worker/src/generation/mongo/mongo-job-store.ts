import { Injectable } from '@nestjs/common';
import type { Collection, MongoBulkWriteError } from 'mongodb';
import type { Model } from 'mongoose';
import {
  BOOK_STATS_MODEL,
  BookStatsShardDoc,
  COUPON_CODE_MODEL,
  CouponCodeDoc,
  GENERATION_JOB_MODEL,
  GenerationJobDoc,
  randomRanks,
  nextStatsShard,
} from '@lib/coupons';
import { InjectModel, TransactionScope, UnitOfWork } from '@lib/persistence';
import { JobStore } from '../ports/job-store';

const DUPLICATE_KEY = 11000;

@Injectable()
export class MongoJobStore extends JobStore {
  private readonly jobs: Collection<GenerationJobDoc>;
  private readonly codes: Collection<CouponCodeDoc>;
  private readonly stats: Collection<BookStatsShardDoc>;

  constructor(
    @InjectModel(GENERATION_JOB_MODEL) jobs: Model<GenerationJobDoc>,
    @InjectModel(COUPON_CODE_MODEL) codes: Model<CouponCodeDoc>,
    @InjectModel(BOOK_STATS_MODEL) stats: Model<BookStatsShardDoc>,
    private readonly uow: UnitOfWork,
  ) {
    super();
    // The driver directly: a million documents don't need mongoose's casting and hooks.
    this.jobs = jobs.collection as unknown as Collection<GenerationJobDoc>;
    this.codes = codes.collection as unknown as Collection<CouponCodeDoc>;
    this.stats = stats.collection as unknown as Collection<BookStatsShardDoc>;
  }

  claim(jobId: string, owner: string, leaseMs: number): Promise<GenerationJobDoc | null> {
    const now = new Date();
    return this.jobs.findOneAndUpdate(
      { _id: jobId, $or: [{ status: 'QUEUED' }, { status: 'RUNNING', leaseUntil: { $lt: now } }] },
      [
        {
          $set: {
            status: 'RUNNING',
            owner,
            leaseUntil: new Date(now.getTime() + leaseMs),
            startedAt: { $ifNull: ['$startedAt', now] },
          },
        },
      ],
      { returnDocument: 'after' },
    );
  }

  countInserted(jobId: string): Promise<number> {
    return this.codes.countDocuments({ jobId });
  }

  async insertCodes(job: GenerationJobDoc, codes: string[]): Promise<number> {
    const ranks = randomRanks(codes.length);
    const docs: CouponCodeDoc[] = codes.map((code, i) => ({
      _id: code,
      couponBookId: job.couponBookId,
      rank: ranks[i],
      assignedTo: null,
      jobId: job._id,
    }));
    try {
      const result = await this.codes.insertMany(docs, { ordered: false, writeConcern: { w: 'majority' } });
      return result.insertedCount;
    } catch (err) {
      const bulk = err as MongoBulkWriteError;
      const errors = Array.isArray(bulk.writeErrors)
        ? bulk.writeErrors
        : bulk.writeErrors
          ? [bulk.writeErrors]
          : [];
      if (errors.length === 0 || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
      return bulk.insertedCount;
    }
  }

  recordProgress(job: GenerationJobDoc, owner: string, inserted: number, leaseMs: number): Promise<boolean> {
    return this.uow.run(async () => {
      const session = TransactionScope.session();
      const result = await this.jobs.updateOne(
        { _id: job._id, owner, status: 'RUNNING' },
        { $inc: { generated: inserted }, $set: { leaseUntil: new Date(Date.now() + leaseMs) } },
        { session },
      );
      // matched, not modified: a barren batch ($inc 0) recorded in the same millisecond as the one
      // before it (the same leaseUntil) changes nothing, yet the lease is still ours.
      if (result.matchedCount !== 1) return false;
      if (inserted !== 0) {
        await this.stats.updateOne(
          { _id: nextStatsShard(job.couponBookId) },
          { $inc: { total: inserted } },
          { session },
        );
      }
      return true;
    });
  }

  reconcile(job: GenerationJobDoc, owner: string, actual: number): Promise<boolean> {
    return this.uow.run(async () => {
      const session = TransactionScope.session();
      const current = await this.jobs.findOne({ _id: job._id, owner }, { session });
      if (!current) return false;
      const delta = actual - current.generated;
      if (delta === 0) return true;
      await this.jobs.updateOne({ _id: job._id }, { $set: { generated: actual } }, { session });
      await this.stats.updateOne(
        { _id: nextStatsShard(job.couponBookId) },
        { $inc: { total: delta } },
        { session },
      );
      return true;
    });
  }

  async trimExcess(job: GenerationJobDoc, excess: number): Promise<number> {
    const extra = await this.codes
      .find({ jobId: job._id, assignedTo: null }, { projection: { _id: 1 } })
      .limit(excess)
      .toArray();
    const { deletedCount } = await this.codes.deleteMany({
      _id: { $in: extra.map((d) => d._id) },
      assignedTo: null,
    });
    return deletedCount;
  }

  async releaseLease(jobId: string, owner: string): Promise<void> {
    await this.jobs.updateOne(
      { _id: jobId, owner, status: 'RUNNING' },
      { $set: { leaseUntil: new Date(0) } },
    );
  }

  finish(
    jobId: string,
    owner: string,
    status: 'COMPLETED' | 'FAILED',
    error?: string,
  ): Promise<GenerationJobDoc | null> {
    return this.jobs.findOneAndUpdate(
      { _id: jobId, owner, status: 'RUNNING' },
      { $set: { status, finishedAt: new Date(), owner: null, leaseUntil: null, error: error ?? null } },
      { returnDocument: 'after', session: TransactionScope.session() },
    );
  }

  async orphaned(queuedForMs: number, limit: number): Promise<string[]> {
    const now = Date.now();
    const docs = await this.jobs
      .find(
        {
          $or: [
            { status: 'RUNNING', leaseUntil: { $lt: new Date(now) } },
            { status: 'QUEUED', createdAt: { $lt: new Date(now - queuedForMs) } },
          ],
        },
        { projection: { _id: 1 } },
      )
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d._id);
  }
}
