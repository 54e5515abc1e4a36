import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import type { Page } from '@lib/contracts';
import { GENERATION_JOB_MODEL, GenerationJobDoc, JobStatus } from '@lib/coupons';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { GenerationJob, GenerationJobsRepository } from '../generation/generation-jobs.repository';
import { afterCursor, toPage } from './page-cursor';

const toJob = ({ _id, owner: _o, leaseUntil: _l, ...rest }: GenerationJobDoc): GenerationJob => ({
  jobId: _id,
  ...rest,
});

@Injectable()
export class MongoGenerationJobsRepository extends GenerationJobsRepository {
  private readonly jobs: { collection: Collection<GenerationJobDoc> };

  constructor(@InjectModel(GENERATION_JOB_MODEL) jobs: Model<GenerationJobDoc>) {
    super();
    this.jobs = { collection: jobs.collection as unknown as Collection<GenerationJobDoc> };
  }

  async insert(job: GenerationJob): Promise<void> {
    const { jobId, ...rest } = job;
    await this.jobs.collection.insertOne(
      { _id: jobId, ...rest, owner: null, leaseUntil: null },
      { session: TransactionScope.session() },
    );
  }

  async findById(jobId: string): Promise<GenerationJob | null> {
    const doc = await this.jobs.collection.findOne({ _id: jobId }, { session: TransactionScope.session() });
    return doc ? toJob(doc) : null;
  }

  async list(
    filter: { couponBookId?: string; status?: JobStatus },
    limit: number,
    cursor?: string,
  ): Promise<Page<GenerationJob>> {
    const query: Record<string, unknown> = { ...afterCursor(cursor) };
    if (filter.couponBookId) query.couponBookId = filter.couponBookId;
    if (filter.status) query.status = filter.status;
    const docs = await this.jobs.collection
      .find(query)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .toArray();
    return toPage(docs, limit, toJob);
  }

  async running(limit: number): Promise<GenerationJob[]> {
    const docs = await this.jobs.collection
      .find({ status: { $in: ['QUEUED', 'RUNNING'] } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toJob);
  }
}
