import type { Page } from '@lib/contracts';
import type { GenerationJobDoc, JobStatus } from '@lib/coupons';

export type GenerationJob = Omit<GenerationJobDoc, '_id' | 'owner' | 'leaseUntil'> & { jobId: string };

export abstract class GenerationJobsRepository {
  abstract insert(job: GenerationJob): Promise<void>;
  abstract findById(jobId: string): Promise<GenerationJob | null>;
  /** Newest first. */
  abstract list(
    filter: { couponBookId?: string; status?: JobStatus },
    limit: number,
    cursor?: string,
  ): Promise<Page<GenerationJob>>;
  /** QUEUED and RUNNING jobs, oldest first. */
  abstract running(limit: number): Promise<GenerationJob[]>;
}
