import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@lib/observability';
import { LoyaltySettings } from '../../loyalty.settings';
import { SweepDuePoints } from './sweep-due-points';

/** Runs the sweep every POINTS_EXPIRY_SWEEP_SECONDS on this replica (a pass never overlaps the last). */
@Injectable()
export class PointsSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly sweep: SweepDuePoints,
    private readonly settings: LoyaltySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.settings.sweepSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.sweep
      .run()
      .then((groups) => {
        if (groups) this.logger.info({ groups }, 'points sweep settled groups');
      })
      .catch((err: Error) => this.logger.warn({ err: err.message }, 'points sweep failed; next pass retries'))
      .finally(() => (this.running = null));
  }
}
