import { WEBHOOK_EVENT_SOURCES, type WebhookEventType, type WebhookSourceEvent } from '@lib/contracts';

export interface PublicEvent {
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * What an integrator receives for an internal event: its public type, when it happened, and its
 * facts. The event id travels as the `webhook-id` header, so it is left out of `data`; `user.enrolled`
 * says how the user came (an admin's enrolment or their own registration).
 */
export function toPublicEvent(name: WebhookSourceEvent, payload: object): PublicEvent {
  const {
    eventId: _eventId,
    occurredAt,
    ...facts
  } = payload as {
    eventId: string;
    occurredAt: string;
  } & Record<string, unknown>;
  const data: Record<string, unknown> = facts;
  if (name === 'auth.user.enrolled') data.via = 'ADMIN';
  if (name === 'auth.user.registered') data.via = 'REGISTRATION';
  return { type: WEBHOOK_EVENT_SOURCES[name], timestamp: occurredAt, data };
}
