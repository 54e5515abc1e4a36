import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, Logger } from '@lib/observability';
import { AttemptRecord, DeliveriesRepository } from '../ports/deliveries.repository';
import { EndpointsRepository } from '../ports/endpoints.repository';

const FLUSH_AFTER_MS = 10;
const FLUSH_AT = 500;

/**
 * Writes attempts in batches: one bulk write per 10 ms (or 500 attempts) instead of one update per
 * delivery. An attempt not yet written when the process dies is made again after another replica
 * takes the delivery over: at least once, never lost.
 */
@Injectable()
export class AttemptRecorder {
  private records: AttemptRecord[] = [];
  private succeededEndpoints = new Set<string>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  add(record: AttemptRecord, webhookId: string, endpointWasFailing: boolean): void {
    this.records.push(record);
    if (record.result.ok && endpointWasFailing) this.succeededEndpoints.add(webhookId);
    if (this.records.length >= FLUSH_AT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes what is waiting (and waits for a write already running). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const records = this.records.splice(0);
    const succeeded = [...this.succeededEndpoints];
    this.succeededEndpoints.clear();
    this.flushing = this.flushing.then(() => this.write(records, succeeded));
    return this.flushing;
  }

  /** At shutdown: one last write, without retrying for ever. */
  stop(): Promise<void> {
    this.stopping = true;
    return this.flush();
  }

  private async write(records: AttemptRecord[], succeeded: string[]): Promise<void> {
    if (!records.length && !succeeded.length) return;
    for (let wait = 100; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        await this.deliveries.recordAttempts(records);
        await this.endpoints.recordSuccess(succeeded);
        return;
      } catch (err) {
        if (this.stopping) {
          this.logger.warn(
            { err: String(err), attempts: records.length },
            'webhooks: attempts left unrecorded at shutdown; they will be made again',
          );
          return;
        }
        // MongoDB away: keep the records and try again; the claims hold meanwhile.
        this.logger.warn(
          { err: String(err), attempts: records.length },
          'webhooks: could not record attempts, retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}
