// What each webhook event type tells a receiver, in a line an administrator can choose by.
import type { DeliveryStatus, Webhook, WebhookEventChoice, WebhookEventType } from '../../api/types';

/**
 * Every event type, in the order the form offers them. A Record over the API's types: a type
 * added to or removed from the API is a compile error here until this list follows.
 */
export const EVENT_EXPLANATIONS: Record<WebhookEventType, string> = {
  'purchase.recorded': "A till recorded a member's purchase, and the points it earned.",
  'purchase.refunded': 'A purchase was refunded, and its points taken back.',
  'points.redeemed': "A group's points were spent.",
  'points.reversed': 'A redemption was reversed: its points came back.',
  'points.adjusted': 'A payer added or removed points in a group (a payer transaction).',
  'points.expired': 'Points reached their expiry date.',
  'tier.changed': 'A group moved to another tier.',
  'voucher.issued': 'A first-login campaign gave a member a voucher.',
  'voucher.redeemed': 'A voucher was redeemed against an order.',
  'coupon.assigned': 'A member was given a code of a coupon book.',
  'coupon.redeemed': 'A member redeemed a coupon code.',
  'generation-job.completed': "A coupon book's code generation finished.",
  'generation-job.failed': "A coupon book's code generation failed.",
  'user.enrolled': 'A member joined: enrolled by an admin, or registered themselves.',
};

export const EVENT_TYPES = Object.keys(EVENT_EXPLANATIONS) as WebhookEventType[];

/** `events: ["*"]`: every type, those added later included. */
export const ALL_EVENTS = '*';

/** An endpoint's events as the form edits them: all of them, or the ones ticked. */
export interface EventSelection {
  all: boolean;
  types: WebhookEventType[];
}

export function selectionOf(events: readonly WebhookEventChoice[]): EventSelection {
  const all = events.includes(ALL_EVENTS);
  return { all, types: all ? [] : events.filter((e): e is WebhookEventType => e !== ALL_EVENTS) };
}

/** The `events` the API takes; ticked types go in the form's order, whatever order they were ticked in. */
export function eventsOf(selection: EventSelection): WebhookEventChoice[] {
  return selection.all ? [ALL_EVENTS] : EVENT_TYPES.filter((t) => selection.types.includes(t));
}

/** An endpoint's status in words: why a disabled one is off matters (it may be failing). */
export function statusText(webhook: Pick<Webhook, 'status' | 'disabledReason'>): string {
  if (webhook.status === 'ENABLED') return 'Enabled';
  return webhook.disabledReason === 'FAILING' ? 'Disabled after failing' : 'Disabled by an admin';
}

/** The delivery statuses the log can be filtered by, with what each means. */
export const DELIVERY_STATUSES: Record<DeliveryStatus, string> = {
  PENDING: 'Pending (not yet sent, or waiting to be retried)',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed (out of retries)',
};
