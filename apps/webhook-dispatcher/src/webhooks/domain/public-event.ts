import {
  EVENTS,
  WEBHOOK_EVENT_SOURCES,
  type VouchersIssuedV1,
  type WebhookEventType,
  type WebhookSourceEvent,
} from '@lib/contracts';

export interface PublicEvent {
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/** One event as integrators receive it, with its `webhook-id`. */
export interface OutgoingEvent {
  webhookId: string;
  event: PublicEvent;
}

/**
 * What integrators receive for an internal event: its public type, when it happened, and its
 * facts. The event id travels as the `webhook-id` header, so it is left out of `data`;
 * `user.enrolled` says how the user came (an admin's enrolment or their own registration). A batch
 * of vouchers becomes one `voucher.issued` per voucher, `<eventId>.<voucherId>` each: stable
 * across redeliveries, and distinct.
 */
export function toOutgoingEvents(name: WebhookSourceEvent, payload: object): OutgoingEvent[] {
  const { eventId, occurredAt, ...facts } = payload as { eventId: string; occurredAt: string } & Record<
    string,
    unknown
  >;
  const type = WEBHOOK_EVENT_SOURCES[name];
  if (name === EVENTS.vouchersIssued) {
    return (facts as unknown as Pick<VouchersIssuedV1, 'vouchers'>).vouchers.map((voucher) => ({
      webhookId: `${eventId}.${voucher.voucherId}`,
      event: { type, timestamp: occurredAt, data: { ...voucher } },
    }));
  }
  const data: Record<string, unknown> = facts;
  if (name === EVENTS.userEnrolled) data.via = 'ADMIN';
  if (name === EVENTS.userRegistered) data.via = 'REGISTRATION';
  return [{ webhookId: eventId, event: { type, timestamp: occurredAt, data } }];
}
