import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import {
  type Logger,
  type Metrics,
  type OutboxBacklog,
  SpanKind,
  contextFromTraceparent,
  endSpan,
  startSpan,
  traceparentOf,
  tracingEnabled,
  untraced,
} from '@lib/observability';
import { EventPublisher } from '../event-publisher';
import type { OutboxHandOver, OutboxRecord } from './mongo-outbox';

export interface OutboxRelayOptions {
  batchSize?: number;
  /** How often to look for due events when nothing wakes the relay. */
  pollIntervalMs?: number;
  /** A claimed batch is invisible to other relays this long; after a crash it becomes due again. */
  leaseMs?: number;
  maxBackoffMs?: number;
  /** Where the relay counts what it publishes and reports the backlog (read when scraped). */
  metrics?: Metrics;
  /** How long a backlog sample is reused, so scrapes never cost more than a query this often. */
  backlogCacheMs?: number;
  /** How long a wake waits for more commits before publishing (0: at once). */
  coalesceMs?: number;
  /**
   * How long events written by this process stay leased to it for their hand-over (from when
   * they are written): if the process dies before publishing them, another relay takes them then.
   */
  handOverLeaseMs?: number;
}

/**
 * Moves committed outbox records to the broker. The records this process's own transactions
 * wrote are handed over after their commit (OutboxHandOver: written already leased to this relay):
 * publish with confirms, mark sent, nothing read back. Anything else due (a dead process's events
 * once their lease runs out, events waiting out a failed publish): claim a batch (safe with
 * several relays running), publish with confirms, mark sent. A failed publish leaves the batch pending with exponential
 * backoff, so events written while the broker is down all go out once it is back. Delivery is at
 * least once; consumers dedupe by eventId. With tracing on, each event's publish is a producer
 * span, child of the span that wrote the event (its stored `traceparent`), and the message carries
 * the producer span's `traceparent` to the consumers. The relay's own reads and writes belong to
 * no request: it runs outside the context of whichever commit woke it.
 */
export class OutboxRelay implements OutboxHandOver {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private wakeRequested = false;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly maxBackoffMs: number;
  private readonly metrics?: Metrics;
  private readonly backlogCacheMs: number;
  private backlogSample?: { at: number; value: Promise<OutboxBacklog> };
  private readonly coalesceMs: number;
  private coalescing = false;
  private readonly handOverLeaseMs: number;
  /** This relay's claim on the records handed over to it. */
  private readonly handOverToken = randomUUID();
  /** Committed records handed over and not yet published. */
  private handed: OutboxRecord[] = [];

  constructor(
    private readonly model: Model<OutboxRecord>,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.leaseMs = options.leaseMs ?? 30000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10000;
    this.metrics = options.metrics;
    this.backlogCacheMs = options.backlogCacheMs ?? 5000;
    this.coalesceMs = options.coalesceMs ?? 20;
    this.handOverLeaseMs = options.handOverLeaseMs ?? 10000;
    this.metrics?.sampleOutbox(() => this.backlog());
  }

  /**
   * What is waiting to be published, and since when: one query over the pending events' index
   * (status, availableAt, createdAt), shared by the callers of the next `backlogCacheMs`.
   */
  backlog(): Promise<OutboxBacklog> {
    const now = Date.now();
    if (!this.backlogSample || now - this.backlogSample.at >= this.backlogCacheMs) {
      const value = this.readBacklog();
      this.backlogSample = { at: now, value };
      value.catch(() => {
        if (this.backlogSample?.value === value) this.backlogSample = undefined; // a failure isn't cached
      });
    }
    return this.backlogSample.value;
  }

  private async readBacklog(): Promise<OutboxBacklog> {
    const [row] = await this.model.aggregate<{ unpublished: number; oldest: Date }>([
      { $match: { status: 'pending' } },
      { $group: { _id: null, unpublished: { $sum: 1 }, oldest: { $min: '$createdAt' } } },
    ]);
    if (!row) return { unpublished: 0, oldestAgeSeconds: 0 };
    return {
      unpublished: row.unpublished,
      oldestAgeSeconds: Math.max(0, (Date.now() - row.oldest.getTime()) / 1000),
    };
  }

  handOverClaim(now: Date): { claimToken: string; availableAt: Date } {
    return { claimToken: this.handOverToken, availableAt: new Date(now.getTime() + this.handOverLeaseMs) };
  }

  /** Committed records of this process's: published at the next wake (within `coalesceMs`). */
  take(records: OutboxRecord[]): void {
    this.handed.push(...records);
    this.wake();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.coalescing = false;
    clearTimeout(this.timer);
    await this.running;
    // What was committed meanwhile goes out now rather than after its lease (in other relays).
    await this.publishHanded().catch(() => undefined);
  }

  /**
   * Called after a commit that added events: publish within `coalesceMs` instead of at the next
   * poll. The short wait lets the commits of a busy moment go out as one batch (one claim, one
   * confirm round, one update) rather than one batch per commit.
   */
  wake(): void {
    if (this.stopped || this.coalescing) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    if (this.coalesceMs > 0) {
      clearTimeout(this.timer);
      this.coalescing = true;
      this.timer = setTimeout(() => {
        this.coalescing = false;
        this.drainNow();
      }, this.coalesceMs);
      return;
    }
    this.drainNow();
  }

  private drainNow(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.running = (tracingEnabled() ? untraced(() => this.drain()) : this.drain())
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.wakeRequested) {
          this.wakeRequested = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), this.pollIntervalMs);
        }
      });
  }

  /** The broker is back: events waiting out a backoff are due now. */
  async retryNow(): Promise<void> {
    await this.model
      .updateMany(
        { status: 'pending', attempts: { $gt: 0 }, claimToken: { $exists: false } },
        { $set: { availableAt: new Date() } },
      )
      .catch(() => undefined);
    this.wake();
  }

  /**
   * Publishes what was handed over, then batches of what is due, until nothing is (or a publish
   * fails). Returns how many were sent.
   */
  async drain(): Promise<number> {
    let sent = await this.publishHanded();
    if (sent < 0) return 0;
    for (;;) {
      const batch = await this.claim().catch((err: Error) => {
        this.logger.warn({ err: err.message }, 'outbox: cannot read pending events');
        return [];
      });
      if (batch.length === 0) return sent;
      if (!(await this.send(batch))) return sent;
      sent += batch.length;
    }
  }

  /**
   * The handed-over records, in batches. After a failed publish, every record still held is
   * released with the batch: they wait out the backoff in the database like any other. Returns
   * how many were sent, or -1 after a failure.
   */
  private async publishHanded(): Promise<number> {
    let sent = 0;
    while (this.handed.length > 0) {
      const batch = this.handed.splice(0, this.batchSize);
      if (!(await this.send(batch, () => this.handed.splice(0)))) return -1;
      sent += batch.length;
    }
    return sent;
  }

  /** Publish with confirms, then mark sent; on failure release the batch (and `alsoRelease`). */
  private async send(batch: OutboxRecord[], alsoRelease = (): OutboxRecord[] => []): Promise<boolean> {
    try {
      await this.publish(batch);
      await this.model.updateMany(
        { _id: { $in: batch.map((r) => r._id) } },
        { $set: { status: 'sent', sentAt: new Date() }, $unset: { claimToken: 1 } },
      );
      this.metrics?.outboxPublished.inc(batch.length);
      return true;
    } catch (err) {
      await this.release([...batch, ...alsoRelease()], (err as Error).message);
      return false;
    }
  }

  private async publish(batch: OutboxRecord[]): Promise<void> {
    const spans = tracingEnabled() ? batch.map(publishSpan) : undefined;
    try {
      await this.publisher.publishAll(
        batch.map((r, i) => ({
          eventId: r._id,
          name: r.name,
          payload: r.payload,
          requestId: r.requestId,
          // With tracing off here, the writer's own traceparent still links the consumers to it.
          traceparent: spans ? traceparentOf(spans[i]) : r.traceparent,
        })),
      );
    } catch (err) {
      for (const span of spans ?? []) endSpan(span, 'PUBLISH_FAILED');
      throw err;
    }
    for (const span of spans ?? []) endSpan(span);
  }

  private async claim(): Promise<OutboxRecord[]> {
    const now = new Date();
    const due = await this.model
      .find({ status: 'pending', availableAt: { $lte: now } })
      .sort({ availableAt: 1, createdAt: 1 })
      .limit(this.batchSize)
      .lean<OutboxRecord[]>();
    if (due.length === 0) return [];
    const claimToken = randomUUID();
    const claimed = await this.model.updateMany(
      { _id: { $in: due.map((d) => d._id) }, status: 'pending', availableAt: { $lte: now } },
      { $set: { claimToken, availableAt: new Date(now.getTime() + this.leaseMs) } },
    );
    // Usually every due record is ours, as read; only when another relay took some, read back which.
    if (claimed.modifiedCount === due.length) return due.sort((a, b) => +a.createdAt - +b.createdAt);
    return this.model.find({ claimToken }).sort({ createdAt: 1 }).lean<OutboxRecord[]>();
  }

  private async release(batch: OutboxRecord[], reason: string): Promise<void> {
    const attempts = Math.max(...batch.map((r) => r.attempts)) + 1;
    const backoff = Math.min(this.maxBackoffMs, 200 * 2 ** Math.min(attempts, 10));
    this.logger.warn(
      { events: batch.length, attempts, retryInMs: backoff, reason },
      'outbox: publish failed',
    );
    await this.model
      .updateMany(
        { _id: { $in: batch.map((r) => r._id) } },
        {
          $set: { availableAt: new Date(Date.now() + backoff), lastError: reason },
          $inc: { attempts: 1 },
          $unset: { claimToken: 1 },
        },
      )
      .catch(() => undefined); // the lease expires by itself if even this fails
  }
}

function publishSpan(record: OutboxRecord) {
  return startSpan(
    `publish ${record.name}`,
    SpanKind.PRODUCER,
    {
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
      'messaging.rabbitmq.destination.routing_key': record.name,
      'messaging.message.id': record._id,
    },
    contextFromTraceparent(record.traceparent),
  );
}
