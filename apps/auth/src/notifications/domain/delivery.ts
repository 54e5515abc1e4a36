/**
 * One mail of one event to one recipient, recorded outside the event's transaction so the record
 * outlives a rolled-back attempt:
 * - `sending` is written before the SMTP conversation, `sent` after the server accepted it;
 * - `failed` after a temporary failure (retried), `refused` after a permanent one (not retried).
 */
export type DeliveryState = 'sending' | 'sent' | 'failed' | 'refused';

export type DeliveryDecision = 'send' | 'skip' | 'resend-after-interruption';

/**
 * What to do with a (eventId, recipient) given its recorded state, on first delivery or any
 * redelivery of the event:
 * - nothing recorded, or a temporary failure: send;
 * - already sent or refused: skip, so a redelivered event never mails twice;
 * - `sending` left behind: the attempt died between claiming and recording the outcome (a crash,
 *   or the server accepted the mail and the process died before writing `sent`). We cannot tell
 *   which, and choose AT-LEAST-ONCE: send again. A lost welcome or points notice is worse than a
 *   rare duplicate, and the window for one is a single database write after the server's 250.
 *   Concurrent deliveries of the same event cannot both get here: the consumer's processed-event
 *   record in the still-open transaction makes the second wait for the first.
 */
export function decideDelivery(previous: DeliveryState | null): DeliveryDecision {
  switch (previous) {
    case null:
    case 'failed':
      return 'send';
    case 'sent':
    case 'refused':
      return 'skip';
    case 'sending':
      return 'resend-after-interruption';
  }
}
