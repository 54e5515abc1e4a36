import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What an app's outbox holds unpublished, as its relay samples it (see Metrics.sampleOutbox). */
export interface OutboxBacklog {
  /** Events written but not yet published. */
  unpublished: number;
  /** Age of the oldest of them in seconds, 0 when there is none. */
  oldestAgeSeconds: number;
}

/**
 * One Prometheus registry per app instance (not the global one), so several apps can live in one
 * test process without clashing metric names. Every metric any app exports is declared here, once
 * (the Helm chart's alerts and dashboard are checked against this list); an app that never
 * touches one exports it at zero.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly rpcDuration: Histogram<'side' | 'pattern' | 'outcome'>;
  /** Outbox events the relay published (confirmed by the broker). */
  readonly outboxPublished: Counter;
  /** Deliveries a consumer settled: `handled` (acked), `retried`, `dead_lettered`. */
  readonly eventsHandled: Counter<'queue' | 'outcome'>;
  /** Deliveries a consumer sent to its queue's dead-letter queue (poison, or out of attempts). */
  readonly eventsDeadLettered: Counter<'queue'>;
  /** First-login vouchers issued, counted once their transaction has committed. */
  readonly vouchersIssued: Counter;
  /** Generation jobs that ended here: `completed` or `failed`. */
  readonly generationJobs: Counter<'outcome'>;
  readonly generationJobsRunning: Gauge;
  readonly codesGenerated: Counter;
  /** Webhook delivery attempts, by outcome: `succeeded`, `retrying` (failed, tried again later), `failed` (for good). */
  readonly webhookAttempts: Counter<'outcome'>;
  /** How long a receiver took to answer an attempt (or to fail it). */
  readonly webhookAttemptDuration: Histogram;
  private outboxSampler?: () => Promise<OutboxBacklog>;

  constructor(app: string, collectDefaults = true) {
    this.registry.setDefaultLabels({ app });
    if (collectDefaults) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers,
    });
    this.rpcDuration = new Histogram({
      name: 'rpc_duration_seconds',
      help: 'RPC latency, as seen by the client and by the server',
      labelNames: ['side', 'pattern', 'outcome'],
      buckets,
      registers,
    });
    // Read from the outbox when /metrics is scraped (the sampler caches it briefly), never per request.
    const sample = async (pick: (b: OutboxBacklog) => number, gauge: Gauge) => {
      if (!this.outboxSampler) return;
      const backlog = await this.outboxSampler().catch(() => undefined); // keep the last value
      if (backlog) gauge.set(pick(backlog));
    };
    new Gauge({
      name: 'outbox_unpublished_events',
      help: 'Outbox events written but not yet published to the broker',
      registers,
      collect() {
        return sample((b) => b.unpublished, this);
      },
    });
    new Gauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest outbox event not yet published (0 when none is waiting)',
      registers,
      collect() {
        return sample((b) => b.oldestAgeSeconds, this);
      },
    });
    this.outboxPublished = new Counter({
      name: 'outbox_published_total',
      help: 'Outbox events published to the broker with a confirm',
      registers,
    });
    this.eventsHandled = new Counter({
      name: 'events_handled_total',
      help: 'Event deliveries settled by a consumer, by queue and outcome (handled, retried, dead_lettered)',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    this.eventsDeadLettered = new Counter({
      name: 'events_dead_lettered_total',
      help: "Event deliveries sent to the queue's dead-letter queue (poison, or out of attempts)",
      labelNames: ['queue'],
      registers,
    });
    this.vouchersIssued = new Counter({
      name: 'vouchers_issued_total',
      help: 'First-login vouchers issued (counted after their transaction committed)',
      registers,
    });
    this.generationJobs = new Counter({
      name: 'coupon_generation_jobs_total',
      help: 'Coupon generation jobs that ended in this worker, by outcome (completed, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.generationJobsRunning = new Gauge({
      name: 'coupon_generation_jobs_running',
      help: 'Coupon generation jobs this worker is running now',
      registers,
    });
    this.codesGenerated = new Counter({
      name: 'coupon_codes_generated_total',
      help: 'Coupon codes inserted by generation jobs',
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'webhook_attempts_total',
      help: 'Webhook delivery attempts, by outcome (succeeded, retrying, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.webhookAttemptDuration = new Histogram({
      name: 'webhook_attempt_duration_seconds',
      help: 'Time from sending a webhook to its answer or failure',
      buckets,
      registers,
    });
  }

  /** The outbox relay reports the backlog through this; it is read when /metrics is scraped. */
  sampleOutbox(sampler: () => Promise<OutboxBacklog>): void {
    this.outboxSampler = sampler;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
