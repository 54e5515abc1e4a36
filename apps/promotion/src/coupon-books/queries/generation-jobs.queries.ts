import { Injectable } from '@nestjs/common';
import type {
  GenerationJobDto,
  GenerationJobPageDto,
  GenerationJobQueryDto,
  RunningJobStatDto,
} from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { generationJobNotFound } from '../domain/coupon-books.errors';
import { GenerationJobsRepository } from '../ports/generation-jobs.repository';
import { toJobDto, toRunningJobStat } from './coupon-books.views';

/** How many QUEUED or RUNNING jobs the admin stats show at most. */
const RUNNING_JOBS_SHOWN = 100;

/** The admin's reads of generation jobs: their status and progress (the coupon worker runs them). */
@Injectable()
export class GenerationJobsQueries {
  constructor(private readonly jobs: GenerationJobsRepository) {}

  async list(
    filter: Pick<GenerationJobQueryDto, 'couponBookId' | 'status'>,
    page: PageRequest,
  ): Promise<GenerationJobPageDto> {
    const { items, nextCursor } = await this.jobs.list(
      { couponBookId: filter.couponBookId, status: filter.status },
      page,
    );
    return { items: items.map(toJobDto), nextCursor };
  }

  async get(jobId: string): Promise<GenerationJobDto> {
    const job = await this.jobs.findById(jobId);
    if (!job) throw generationJobNotFound();
    return toJobDto(job);
  }

  async running(): Promise<RunningJobStatDto[]> {
    return (await this.jobs.running(RUNNING_JOBS_SHOWN)).map(toRunningJobStat);
  }
}
