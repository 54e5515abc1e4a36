import { Injectable } from '@nestjs/common';
import type { Collection, Filter } from 'mongodb';
import type { Model } from 'mongoose';
import type { Page } from '@lib/contracts';
import { GENERATION_JOB_MODEL, GenerationJobDoc, JobStatus } from '@lib/coupons';
import { NEWEST_FIRST, PageRequest, readPage } from '@lib/paging';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { GenerationJob, GenerationJobsRepository } from '../ports/generation-jobs.repository';

const toJob = ({ _id, owner: _o, leaseUntil: _l, ...rest }: GenerationJobDoc): GenerationJob => ({
  jobId: _id,
  ...rest,
});

function jobFilter(filter: { couponBookId?: string; status?: JobStatus }): Filter<GenerationJobDoc> {
  const wanted: Filter<GenerationJobDoc> = {};
  if (filter.couponBookId) wanted.couponBookId = filter.couponBookId;
  if (filter.status) wanted.status = filter.status;
  return wanted;
}

@Injectable()
export class MongoGenerationJobsRepository extends GenerationJobsRepository {
  private readonly jobs: Collection<GenerationJobDoc>;

  constructor(@InjectModel(GENERATION_JOB_MODEL) jobs: Model<GenerationJobDoc>) {
    super();
    this.jobs = jobs.collection as unknown as Collection<GenerationJobDoc>;
  }

  async insert(job: GenerationJob): Promise<void> {
    const { jobId, ...rest } = job;
    await this.jobs.insertOne(
      { _id: jobId, ...rest, owner: null, leaseUntil: null },
      { session: TransactionScope.session() },
    );
  }

  async findById(jobId: string): Promise<GenerationJob | null> {
    const doc = await this.jobs.findOne({ _id: jobId }, { session: TransactionScope.session() });
    return doc ? toJob(doc) : null;
  }

  list(
    filter: { couponBookId?: string; status?: JobStatus },
    page: PageRequest,
  ): Promise<Page<GenerationJob>> {
    const wanted = jobFilter(filter);
    return readPage(
      page,
      NEWEST_FIRST,
      ({ filter: after, sort, limit }) =>
        this.jobs
          .find({ ...wanted, ...after })
          .sort(sort)
          .limit(limit)
          .toArray(),
      toJob,
    );
  }

  count(filter: { couponBookId?: string; status?: JobStatus }): Promise<number> {
    return this.jobs.countDocuments(jobFilter(filter));
  }

  async running(limit: number): Promise<GenerationJob[]> {
    const docs = await this.jobs
      .find({ status: { $in: ['QUEUED', 'RUNNING'] } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toJob);
  }
}
