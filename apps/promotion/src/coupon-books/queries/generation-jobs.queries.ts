import { Injectable } from '@nestjs/common';
import type {
  GenerationJobDto,
  GenerationJobPageDto,
  GenerationJobQueryDto,
  RunningJobStatDto,
} from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { generationJobNotFound } from '../domain/coupon-books.errors';
import { CouponBooksRepository } from '../ports/coupon-books.repository';
import { GenerationJob, GenerationJobsRepository } from '../ports/generation-jobs.repository';
import { toJobDto, toRunningJobStat } from './coupon-books.views';

/** How many QUEUED or RUNNING jobs the admin stats show at most. */
const RUNNING_JOBS_SHOWN = 100;

/**
 * The admin's reads of generation jobs: their status and progress (the coupon worker runs them),
 * each with its book's name, read once per page (books are never deleted, so every job has one).
 */
@Injectable()
export class GenerationJobsQueries {
  constructor(
    private readonly jobs: GenerationJobsRepository,
    private readonly books: CouponBooksRepository,
  ) {}

  async list(
    filter: Pick<GenerationJobQueryDto, 'couponBookId' | 'status'>,
    page: PageRequest,
  ): Promise<GenerationJobPageDto> {
    const wanted = { couponBookId: filter.couponBookId, status: filter.status };
    const [{ items, nextCursor }, total] = await Promise.all([
      this.jobs.list(wanted, page),
      this.jobs.count(wanted),
    ]);
    const names = await this.bookNames(items);
    return { items: items.map((j) => toJobDto(j, names(j))), nextCursor, total };
  }

  async get(jobId: string): Promise<GenerationJobDto> {
    const job = await this.jobs.findById(jobId);
    if (!job) throw generationJobNotFound();
    return toJobDto(job, (await this.bookNames([job]))(job));
  }

  async running(): Promise<RunningJobStatDto[]> {
    const jobs = await this.jobs.running(RUNNING_JOBS_SHOWN);
    const names = await this.bookNames(jobs);
    return jobs.map((j) => toRunningJobStat(j, names(j)));
  }

  /** One read for all the jobs' books; a job's name falls back to its book id, never to nothing. */
  private async bookNames(jobs: GenerationJob[]): Promise<(job: GenerationJob) => string> {
    const names = await this.books.names(jobs.map((j) => j.couponBookId));
    return (job) => names.get(job.couponBookId) ?? job.couponBookId;
  }
}
