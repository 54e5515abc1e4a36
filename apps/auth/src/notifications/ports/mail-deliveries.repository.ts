import { DeliveryState } from '../domain/delivery';

/**
 * The record of each (eventId, recipient) mail. Deliberately NOT part of the event's unit of
 * work: a mail that left cannot be rolled back, so its record must survive the transaction
 * being retried or aborted.
 */
export abstract class MailDeliveriesRepository {
  /** The recorded state, or null when this mail was never attempted. */
  abstract state(eventId: string, recipient: string): Promise<DeliveryState | null>;
  /** Marks it `sending` (attempt count +1) just before the SMTP conversation. */
  abstract claim(eventId: string, recipient: string, at: Date): Promise<void>;
  abstract finish(
    eventId: string,
    recipient: string,
    outcome: { state: Exclude<DeliveryState, 'sending'>; messageId?: string; error?: string },
    at: Date,
  ): Promise<void>;
}
