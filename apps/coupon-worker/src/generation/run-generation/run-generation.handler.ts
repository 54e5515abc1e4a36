import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS } from '@lib/contracts';
import { CodeGenerator, GenerationJobDoc, patternCapacity } from '@lib/coupons';
import { Outbox } from '@lib/messaging';
import { LOGGER, Logger, Metrics } from '@lib/observability';
import { UnitOfWork } from '@lib/persistence';
import { CouponWorkerSettings } from '../../coupon-worker.settings';
import { JobStore } from '../ports/job-store';

/** Batches in a row that add nothing before the job is declared stuck (the pattern is used up). */
const MAX_BARREN_BATCHES = 20;
/** Codes a batch draws at least before it settles for fewer than it asked for. */
const MIN_DRAWS = 1024;

class LeaseLost extends Error {}

/**
 * Runs generation jobs: claims one (exactly one worker wins), recounts what it already inserted
 * (a resumed job never exceeds `requested`), then draws codes and inserts them in large unordered
 * batches until `requested` is reached, topping up for collisions. Progress (and the lease) is
 * saved after every batch. The write that finishes a job adds `promotion.generation-job.completed`
 * or `.failed` in the same transaction, only if it changed the job (this worker still held it), so
 * each job's end is announced once whoever races to finish it. Measured by
 * `coupon_generation_jobs_running`, `coupon_codes_generated_total` and
 * `coupon_generation_jobs_total{outcome}` (completed, failed: jobs that end here, not those left to
 * another worker).
 */
@Injectable()
export class RunGenerationHandler {
  /** This process's identity as a job owner. */
  readonly owner = `worker-${randomUUID()}`;
  private readonly active = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly store: JobStore,
    private readonly settings: CouponWorkerSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
  ) {}

  /** Starts the job in the background if this process can claim it; resolves once it is decided. */
  async start(jobId: string): Promise<boolean> {
    if (this.stopping || this.active.has(jobId)) return false;
    const job = await this.store.claim(jobId, this.owner, this.settings.leaseMs);
    if (!job) return false;
    const run = this.run(job)
      .catch((err: unknown) =>
        // The lease runs out and a worker (this one's sweep, or another) resumes the job.
        this.logger.error({ jobId, err: String(err) }, 'generation: job interrupted; it will be resumed'),
      )
      .finally(() => {
        this.active.delete(jobId);
        this.metrics.generationJobsRunning.dec();
      });
    this.active.set(jobId, run);
    this.metrics.generationJobsRunning.inc();
    return true;
  }

  /** Stops after the batches in flight and leaves the rest to the next worker. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.active.values());
  }

  isRunning(jobId: string): boolean {
    return this.active.has(jobId);
  }

  private async run(job: GenerationJobDoc): Promise<void> {
    const { leaseMs, batchSize, parallelBatches } = this.settings;
    // A job's first claim sets its startedAt to the claim's time, where the lease starts. Then no
    // other worker has ever held it: every code it has will be this run's, counted as they go in.
    // A takeover keeps the first claim's startedAt.
    const firstClaim = job.startedAt?.getTime() === (job.leaseUntil?.getTime() ?? NaN) - leaseMs;
    let generated = await this.store.countInserted(job._id);
    if (generated !== job.generated) {
      this.logger.warn(
        { jobId: job._id, recorded: job.generated, actual: generated },
        'generation: recounted',
      );
      if (!(await this.store.reconcile(job, this.owner, generated))) return;
    }
    this.logger.info(
      { jobId: job._id, couponBookId: job.couponBookId, requested: job.requested, generated },
      generated > 0 ? 'generation: resuming job' : 'generation: starting job',
    );
    const codes = new CodeGenerator(job.pattern, job.charset);
    // Drawing a batch into a Set keeps a small or nearly full pattern from asking the database for
    // the same code twice. A pattern that dwarfs a batch (default 8 slots: 10^12 codes against
    // 10^4) repeats a code within a batch about once in 20,000 batches, and the database refuses
    // the repeat anyway: its batches skip the Set.
    const distinctDraws = patternCapacity(job.pattern, job.charset) < batchSize * batchSize * 1000;
    const started = Date.now();
    const startedWith = generated;
    let inFlight = 0;
    let barren = 0;
    let lastLog = 0;

    const batch = async (size: number): Promise<void> => {
      let drawn: string[];
      if (distinctDraws) {
        const distinct = new Set<string>();
        // Bounded: a pattern smaller than the batch must not spin here (the database decides
        // anyway). At least MIN_DRAWS draws, though: a batch of 1 drawing 4 of a nearly full small
        // pattern missed its last free codes often enough that 20 such batches in a row declared a
        // pattern exhausted that wasn't. A pattern with room stops after `size` draws, as before.
        const maxDraws = Math.max(size * 4, MIN_DRAWS);
        for (let draws = 0; distinct.size < size && draws < maxDraws; draws++) distinct.add(codes.next());
        drawn = [...distinct];
      } else {
        drawn = new Array<string>(size);
        for (let i = 0; i < size; i++) drawn[i] = codes.next();
      }
      const inserted = await this.store.insertCodes(job, drawn);
      this.metrics.codesGenerated.inc(inserted);
      if (!(await this.store.recordProgress(job, this.owner, inserted, leaseMs))) throw new LeaseLost();
      generated += inserted;
      barren = inserted === 0 ? barren + 1 : 0;
    };

    try {
      // Keep up to `parallelBatches` batches in flight; each asks only for what no other batch is
      // already asking for, so the total can reach `requested` and never pass it.
      const running = new Set<Promise<void>>();
      while (generated < job.requested) {
        if (this.stopping) {
          await Promise.all(running);
          await this.store.releaseLease(job._id, this.owner);
          this.logger.info({ jobId: job._id, generated }, 'generation: stopping; the job is left to resume');
          return;
        }
        if (barren >= MAX_BARREN_BATCHES) {
          // A batch still in flight may yet find (and record) a code: only once none is, is the
          // pattern exhausted. Finishing first would drop that batch's progress from the job.
          if (running.size) {
            await Promise.all(running);
            continue;
          }
          if (await this.finish(job, 'FAILED', 'the pattern has no free codes left')) {
            this.logger.error({ jobId: job._id, generated }, 'generation: pattern exhausted');
          }
          return;
        }
        const want = Math.min(batchSize, job.requested - generated - inFlight);
        if (want > 0 && running.size < parallelBatches) {
          inFlight += want;
          const p: Promise<void> = batch(want).finally(() => {
            inFlight -= want;
            running.delete(p);
          });
          running.add(p);
          // The race below reports a failure once; a second batch failing meanwhile is not unhandled.
          p.catch(() => undefined);
          continue;
        }
        await Promise.race(running);
        if (Date.now() - lastLog > 2000) {
          lastLog = Date.now();
          this.logger.info(
            {
              jobId: job._id,
              generated,
              requested: job.requested,
              codesPerSecond: rate(generated - startedWith, started),
            },
            'generation: progress',
          );
        }
      }
      await Promise.all(running);
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.logger.warn({ jobId: job._id }, 'generation: another worker took the job over');
        return;
      }
      throw err;
    }
    if (!(await this.settle(job, generated, firstClaim))) return;
    this.logger.info(
      {
        jobId: job._id,
        generated: job.requested,
        codesPerSecond: rate(job.requested - startedWith, started),
      },
      'generation: job completed',
    );
  }

  /**
   * Completes the job at exactly `requested`: trims any surplus a lease overlap could have left.
   * After a first claim there can be none (see run), and the recount, a count of every code of the
   * job's (0.25-0.33 s at a million, with the job idle), is skipped. False when another worker holds
   * the job now.
   */
  private async settle(job: GenerationJobDoc, generated: number, firstClaim: boolean): Promise<boolean> {
    if (firstClaim && generated === job.requested) return this.finish(job, 'COMPLETED');
    let actual = await this.store.countInserted(job._id);
    if (actual > job.requested) {
      actual -= await this.store.trimExcess(job, actual - job.requested);
      this.logger.warn({ jobId: job._id, trimmedTo: actual }, 'generation: surplus removed');
    }
    if (actual !== generated && !(await this.store.reconcile(job, this.owner, actual))) return false;
    return this.finish(job, 'COMPLETED');
  }

  /**
   * Finishes the job and announces it in one transaction; false, announcing and counting nothing,
   * when the finishing write found the job no longer this worker's.
   */
  private async finish(
    job: GenerationJobDoc,
    status: 'COMPLETED' | 'FAILED',
    error?: string,
  ): Promise<boolean> {
    const finished = await this.uow.run(async () => {
      const done = await this.store.finish(job._id, this.owner, status, error);
      if (!done) return null;
      const event = status === 'COMPLETED' ? EVENTS.generationJobCompleted : EVENTS.generationJobFailed;
      await this.outbox.add(event, {
        eventId: randomUUID(),
        occurredAt: done.finishedAt!.toISOString(), // set by the write just made
        jobId: done._id,
        couponBookId: done.couponBookId,
        status,
        requested: done.requested,
        generated: done.generated,
        error: done.error,
      });
      return done;
    });
    if (!finished) {
      this.logger.warn({ jobId: job._id }, 'generation: another worker took the job over before it finished');
      return false;
    }
    this.metrics.generationJobs.inc({ outcome: status === 'COMPLETED' ? 'completed' : 'failed' });
    return true;
  }
}

const rate = (codes: number, since: number) =>
  Math.round(codes / Math.max(0.001, (Date.now() - since) / 1000));
