import type { Page } from '@lib/contracts';
import type { GenerationJobDoc, JobStatus } from '@lib/coupons';
import type { PageRequest } from '@lib/paging';

export type GenerationJob = Omit<GenerationJobDoc, '_id' | 'owner' | 'leaseUntil'> & { jobId: string };

/** Generation jobs as promotion sees them: it queues them and reads their progress. */
export abstract class GenerationJobsRepository {
  abstract insert(job: GenerationJob): Promise<void>;
  abstract findById(jobId: string): Promise<GenerationJob | null>;
  /** Newest first; a cursor this list did not give out is a 400 naming `cursor`. */
  abstract list(
    filter: { couponBookId?: string; status?: JobStatus },
    page: PageRequest,
  ): Promise<Page<GenerationJob>>;
  /** How many jobs match the filter in all. */
  abstract count(filter: { couponBookId?: string; status?: JobStatus }): Promise<number>;
  /** QUEUED and RUNNING jobs, oldest first. */
  abstract running(limit: number): Promise<GenerationJob[]>;
}
