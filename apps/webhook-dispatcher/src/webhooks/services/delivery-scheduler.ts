import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LOGGER, Logger, Metrics } from '@lib/observability';
import { WebhookDispatcherSettings } from '../../webhook-dispatcher.settings';
import { nextAttemptAfterFailure, type Delivery } from '../domain/delivery';
import type { WebhookEndpoint } from '../domain/endpoint';
import { WebhookSigner } from '../domain/signature';
import { DeliveriesRepository, DispatcherInstances } from '../ports/deliveries.repository';
import { EndpointsRepository } from '../ports/endpoints.repository';
import { WebhookSender } from '../ports/webhook-sender';
import { AttemptRecorder } from './attempt-recorder';
import { DeliveryLanes } from './delivery-lanes';
import { FailingEndpoints } from './failing-endpoints';

/** A replica silent for this many heartbeats is taken for dead, and its claims are taken over. */
const MISSED_BEATS = 5;
/** Deliveries one poll claims at most. */
const CLAIM_LIMIT = 500;

interface KnownEndpoint {
  endpoint: WebhookEndpoint;
  signer: WebhookSigner;
}

/**
 * Works this replica's deliveries. New ones arrive from the event consumer already claimed (after
 * their commit); every `pollMs` the replica also claims retries that have come due, and the work
 * of replicas that stopped heart-beating. Each delivery is attempted in its endpoint's lane,
 * signed afresh per attempt, and its outcome recorded in batches; a failure is rescheduled by
 * WEBHOOKS_RETRY_SCHEDULE until the schedule is spent.
 */
@Injectable()
export class DeliveryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** This process's claims carry it; a new one per start. */
  readonly instanceId = randomUUID();
  private readonly lanes: DeliveryLanes;
  private known = new Map<string, KnownEndpoint>();
  /** Endpoints with deliveries waiting unclaimed in MongoDB (their lanes were full). */
  private readonly backlogged = new Set<string>();
  private readonly claiming = new Set<string>();
  private pollTimer?: NodeJS.Timeout;
  private beatTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly settings: WebhookDispatcherSettings,
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly instances: DispatcherInstances,
    private readonly sender: WebhookSender,
    private readonly recorder: AttemptRecorder,
    private readonly failing: FailingEndpoints,
    private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.lanes = new DeliveryLanes(
      settings.endpointConcurrency,
      settings.endpointConcurrency * 64,
      (d) => this.attempt(d),
      (webhookId) => this.refill(webhookId),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.instances.beat(this.instanceId, new Date());
    await this.refreshEndpoints();
    this.beatTimer = setInterval(() => void this.beat(), this.settings.heartbeatMs);
    this.beatTimer.unref();
    this.schedulePoll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.beatTimer);
    const queued = this.lanes.drainQueued();
    await this.lanes.settled();
    await this.recorder.stop();
    await this.deliveries.release(queued.map((d) => d.deliveryId)).catch(() => undefined);
    await this.instances.remove(this.instanceId).catch(() => undefined);
  }

  /** The replicas alive now (this one included). */
  liveInstances(): Promise<string[]> {
    return this.instances.live(new Date(Date.now() - MISSED_BEATS * this.settings.heartbeatMs));
  }

  /** How many new deliveries of the endpoint this replica takes on now. */
  room(webhookId: string): number {
    return this.stopped ? 0 : this.lanes.room(webhookId);
  }

  /** Deliveries this replica has claimed (committed): attempted as their lanes allow. */
  take(deliveries: Delivery[]): void {
    this.lanes.add(deliveries);
  }

  /** Some of the endpoint's new deliveries were left unclaimed: its lane was full. */
  overflowed(webhookId: string): void {
    this.backlogged.add(webhookId);
  }

  /**
   * A backlogged lane ran down to half: claim its waiting deliveries now rather than at the next
   * poll, so that a burst larger than a lane flows at the receiver's pace, not the poll's.
   */
  private refill(webhookId: string): void {
    if (this.stopped || !this.backlogged.has(webhookId) || this.claiming.has(webhookId)) return;
    this.claiming.add(webhookId);
    void this.claimFor([webhookId])
      .catch((err: unknown) => this.logger.warn({ err: String(err), webhookId }, 'webhooks: refill failed'))
      .finally(() => this.claiming.delete(webhookId));
  }

  /** Claims due deliveries of these endpoints, as many as their lanes take (up to CLAIM_LIMIT). */
  private async claimFor(webhookIds: string[]): Promise<void> {
    const room = webhookIds.reduce((sum, id) => sum + this.lanes.room(id), 0);
    const limit = Math.min(CLAIM_LIMIT, room);
    if (!limit) return;
    const live = await this.liveInstances();
    const claimed = await this.deliveries.claimDue(this.instanceId, live, webhookIds, limit, new Date());
    // Fewer than asked for: nothing more is waiting (for now).
    if (claimed.length < limit) webhookIds.forEach((id) => this.backlogged.delete(id));
    else webhookIds.forEach((id) => this.backlogged.add(id));
    this.take(claimed);
  }

  /** An admin changed an endpoint here: this replica uses the change at once (others at their next poll). */
  endpointChanged(endpoint: WebhookEndpoint | null, webhookId: string): void {
    if (endpoint && endpoint.status === 'ENABLED') this.remember(endpoint);
    else this.known.delete(webhookId);
  }

  /** Endpoints learned from the consumer's read, so a new endpoint needs no wait for the poll. */
  learn(endpoints: WebhookEndpoint[]): void {
    for (const endpoint of endpoints) if (!this.known.has(endpoint.webhookId)) this.remember(endpoint);
  }

  private remember(endpoint: WebhookEndpoint): void {
    this.known.set(endpoint.webhookId, this.entryFor(endpoint));
  }

  /** The endpoint with its signer, reusing the one already made for the same secret. */
  private entryFor(endpoint: WebhookEndpoint): KnownEndpoint {
    const previous = this.known.get(endpoint.webhookId);
    const sameKey = previous !== undefined && previous.endpoint.secret === endpoint.secret;
    return { endpoint, signer: sameKey ? previous.signer : new WebhookSigner(endpoint.secret) };
  }

  private async refreshEndpoints(): Promise<void> {
    const enabled = await this.endpoints.allEnabled();
    this.known = new Map(enabled.map((endpoint) => [endpoint.webhookId, this.entryFor(endpoint)]));
  }

  private async beat(): Promise<void> {
    try {
      await this.instances.beat(this.instanceId, new Date());
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'webhooks: heartbeat failed');
    }
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      void this.poll().finally(() => this.schedulePoll());
    }, this.settings.pollMs);
    this.pollTimer.unref();
  }

  /** Claims what is due: retries, manual retries, and the work of replicas that died. */
  private async poll(): Promise<void> {
    try {
      await this.refreshEndpoints();
      const ids = [...this.known.keys()].filter((id) => this.lanes.room(id) > 0);
      if (ids.length) await this.claimFor(ids);
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'webhooks: poll failed');
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const known = this.known.get(delivery.webhookId);
    if (!known) {
      // Disabled or deleted since it was claimed: give it back untried.
      await this.deliveries.release([delivery.deliveryId]).catch(() => undefined);
      return;
    }
    const { endpoint, signer } = known;
    const at = new Date();
    const outcome = await this.sender.send({
      url: endpoint.url,
      headers: signer.headers(delivery.eventId, at, delivery.body),
      body: delivery.body,
    });
    this.metrics.webhookAttemptDuration.observe((Date.now() - at.getTime()) / 1000);
    const nextAttemptAt = outcome.ok
      ? null
      : nextAttemptAfterFailure(
          delivery.attempts + 1,
          this.settings.retryScheduleMs,
          at,
          delivery.finalAttempt,
        );
    this.metrics.webhookAttempts.inc({
      outcome: outcome.ok ? 'succeeded' : nextAttemptAt ? 'retrying' : 'failed',
    });
    const wasFailing = endpoint.failingSince !== null;
    if (outcome.ok) endpoint.failingSince = null;
    this.recorder.add(
      {
        deliveryId: delivery.deliveryId,
        result: {
          ok: outcome.ok,
          statusCode: outcome.statusCode,
          error: outcome.ok ? null : outcome.error,
          at,
        },
        nextAttemptAt,
      },
      endpoint.webhookId,
      wasFailing,
    );
    if (!outcome.ok) {
      try {
        if (await this.failing.recordFailure(endpoint, at)) this.known.delete(endpoint.webhookId);
      } catch (err) {
        this.logger.warn(
          { err: String(err), webhookId: endpoint.webhookId },
          'webhooks: could not record a failing endpoint',
        );
      }
    }
  }
}
