import type { DeliveryDto, DeliveryStatus, WebhookEventType } from '@lib/contracts';

/**
 * One event for one endpoint. `eventId` is the `webhook-id` header, the same on every attempt;
 * (webhookId, eventId) is unique, so a redelivered event never makes a second delivery.
 */
export interface Delivery {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  /** The exact body sent (and signed) on every attempt: `{type, timestamp, data}`. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  /** Null once SUCCEEDED or FAILED. */
  nextAttemptAt: Date | null;
  /** A manual retry of a finished delivery: one attempt, then finished again. */
  finalAttempt: boolean;
  createdAt: Date;
}

/** What an attempt did to a delivery. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  at: Date;
}

/**
 * After a failed attempt: when to try again, or null when the schedule is spent. `schedule[i]` is
 * the wait after attempt i+1, so a delivery gets 1 + schedule.length attempts.
 */
export function nextAttemptAfterFailure(
  attemptsMade: number,
  schedule: readonly number[],
  at: Date,
  finalAttempt: boolean,
): Date | null {
  if (finalAttempt || attemptsMade > schedule.length) return null;
  return new Date(at.getTime() + schedule[attemptsMade - 1]);
}

export function toDeliveryView(delivery: Delivery): DeliveryDto {
  return {
    deliveryId: delivery.deliveryId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}
