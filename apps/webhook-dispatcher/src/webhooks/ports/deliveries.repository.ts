import type { PageRequest } from '@lib/paging';
import type { CountedPage, DeliveryStatus, WebhookEventType } from '@lib/contracts';
import type { AttemptResult, Delivery } from '../domain/delivery';

/** A finished attempt, as the repository records it. */
export interface AttemptRecord {
  deliveryId: string;
  result: AttemptResult;
  /** When to try again; null when the delivery is finished (SUCCEEDED, or FAILED for good). */
  nextAttemptAt: Date | null;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  eventType?: WebhookEventType;
}

/**
 * The delivery log, and the work list of every dispatcher replica. A delivery being worked on is
 * claimed by one replica (`owner`); a replica that stops heart-beating loses its claims.
 */
export abstract class DeliveriesRepository {
  /**
   * Adds deliveries (in the caller's unit of work), claimed by `owner` when given. A delivery of
   * the same (webhookId, eventId) that exists already is left as it is.
   */
  abstract add(deliveries: Delivery[], owner: string | null): Promise<void>;
  /**
   * Claims up to `limit` due PENDING deliveries of the given endpoints that no live replica holds,
   * oldest due first, for `owner`.
   */
  abstract claimDue(
    owner: string,
    liveOwners: string[],
    webhookIds: string[],
    limit: number,
    now: Date,
  ): Promise<Delivery[]>;
  /** Records attempts and releases their claims; one round trip for many. */
  abstract recordAttempts(records: AttemptRecord[]): Promise<void>;
  /** Gives up claims without an attempt (shutdown). */
  abstract release(deliveryIds: string[]): Promise<void>;
  abstract get(webhookId: string, deliveryId: string): Promise<Delivery | null>;
  /**
   * Makes a delivery PENDING and due now. A finished one gets one more attempt (finalAttempt).
   * Claims it for `owner` unless a live replica holds it already. Null when there is none.
   */
  abstract retryNow(
    webhookId: string,
    deliveryId: string,
    owner: string,
    liveOwners: string[],
    now: Date,
  ): Promise<{ delivery: Delivery; claimed: boolean } | null>;
  /** One page of an endpoint's log, newest first; `total` counts every delivery the filter matches. */
  abstract page(
    webhookId: string,
    filter: DeliveryFilter,
    request: PageRequest,
  ): Promise<CountedPage<Delivery>>;
  abstract deleteForEndpoint(webhookId: string): Promise<void>;
}

/** Which dispatcher replicas are alive (each beats every few seconds). */
export abstract class DispatcherInstances {
  abstract beat(instanceId: string, at: Date): Promise<void>;
  /** Instances that have beaten since `since`. */
  abstract live(since: Date): Promise<string[]>;
  abstract remove(instanceId: string): Promise<void>;
}
