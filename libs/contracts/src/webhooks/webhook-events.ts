import { EVENTS } from '../patterns';

/** The event types an endpoint can subscribe to (API.md, Webhooks), or `*` for all of them. */
export const WEBHOOK_EVENT_TYPES = [
  'purchase.recorded',
  'purchase.refunded',
  'points.redeemed',
  'points.reversed',
  'points.adjusted',
  'points.expired',
  'tier.changed',
  'voucher.issued',
  'voucher.redeemed',
  'coupon.assigned',
  'coupon.redeemed',
  'generation-job.completed',
  'generation-job.failed',
  'user.enrolled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const ALL_WEBHOOK_EVENTS = '*';

/**
 * Which internal event becomes which public type. The internal names carry their service
 * (`loyalty.purchase.recorded`); integrators see the public ones. Two internal events become
 * `user.enrolled`: an admin's enrolment and a self-service registration.
 */
export const WEBHOOK_EVENT_SOURCES = {
  [EVENTS.purchaseRecorded]: 'purchase.recorded',
  [EVENTS.purchaseRefunded]: 'purchase.refunded',
  [EVENTS.pointsRedeemed]: 'points.redeemed',
  [EVENTS.pointsReversed]: 'points.reversed',
  [EVENTS.pointsAdjusted]: 'points.adjusted',
  [EVENTS.pointsExpired]: 'points.expired',
  [EVENTS.tierChanged]: 'tier.changed',
  [EVENTS.vouchersIssued]: 'voucher.issued',
  [EVENTS.voucherRedeemed]: 'voucher.redeemed',
  [EVENTS.couponAssigned]: 'coupon.assigned',
  [EVENTS.couponRedeemed]: 'coupon.redeemed',
  [EVENTS.generationJobCompleted]: 'generation-job.completed',
  [EVENTS.generationJobFailed]: 'generation-job.failed',
  [EVENTS.userEnrolled]: 'user.enrolled',
  [EVENTS.userRegistered]: 'user.enrolled',
} as const satisfies Record<string, WebhookEventType>;
export type WebhookSourceEvent = keyof typeof WEBHOOK_EVENT_SOURCES;
