import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENTS } from '@lib/contracts';
import { EventConsumer } from '@lib/messaging';
import { LOGGER, Logger } from '@lib/observability';
import { TransactionScope } from '@lib/persistence';
import { CouponWorkerSettings } from '../../coupon-worker.settings';
import { JobStore } from '../ports/job-store';
import { RunGenerationHandler } from './run-generation.handler';

export const GENERATION_CONSUMER = 'coupon-worker.generation';

/**
 * Where jobs come from: the `coupon-generation.requested` event (durable queue, deduped by event
 * id, its payload checked against CouponGenerationRequestedV1 before it gets here), and a
 * periodic sweep for jobs whose worker died mid-run or whose event never came. The event is
 * acked once the job is claimed; the generating runs outside any transaction (a million codes
 * don't fit in one), guarded by the job's lease.
 */
@Injectable()
export class RunGenerationConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly consumer: EventConsumer,
    private readonly runner: RunGenerationHandler,
    private readonly store: JobStore,
    private readonly settings: CouponWorkerSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.subscribe({
      consumer: GENERATION_CONSUMER,
      events: [EVENTS.couponGenerationRequested],
      prefetch: 8,
      handle: async (event) => {
        // After the dedupe record commits: a job is started once per event, even if redelivered.
        TransactionScope.afterCommit(() => void this.startQuietly(event.jobId));
      },
    });
    this.scheduleSweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.runner.stop();
  }

  private scheduleSweep(): void {
    this.sweepTimer = setTimeout(() => {
      void this.sweep().finally(() => {
        if (this.sweepTimer) this.scheduleSweep();
      });
    }, this.settings.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  private async sweep(): Promise<void> {
    try {
      for (const jobId of await this.store.orphaned(this.settings.leaseMs, 10)) {
        if (this.runner.isRunning(jobId)) continue;
        if (await this.runner.start(jobId))
          this.logger.info({ jobId }, 'generation: picked up an orphaned job');
      }
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'generation: sweep failed');
    }
  }

  private async startQuietly(jobId: string): Promise<void> {
    try {
      await this.runner.start(jobId);
    } catch (err) {
      // The sweep retries it.
      this.logger.warn({ jobId, err: String(err) }, 'generation: could not claim the job');
    }
  }
}
