import { ADMIN_AUTH_RPC } from './admin/admin.rpc';
import { API_CLIENT_RPC } from './identity/api-clients.rpc';
import { COUPON_RPC } from './coupons/coupon-books.rpc';
import { LOYALTY_RPC } from './points/points.rpc';
import { CAMPAIGN_RPC } from './vouchers/campaigns.rpc';
import { WEBHOOK_RPC } from './webhooks/webhooks.rpc';

/**
 * RPC message patterns and event names. Dotted `<service>.<aggregate>.<verb>`; the only place these
 * strings may be written (each area keeps its own in <area>/*.rpc.ts), so a rename is a compile error everywhere else.
 */
export const RPC = {
  auth: {
    ping: 'auth.system.ping',
    jwks: 'auth.keys.jwks',
    register: 'auth.user.register',
    login: 'auth.session.login',
    refresh: 'auth.session.refresh',
    logout: 'auth.session.logout',
    me: 'auth.user.me',
    myGroup: 'auth.group.mine',
    createInvite: 'auth.group.invite',
    ...ADMIN_AUTH_RPC,
    ...API_CLIENT_RPC,
  },
  loyalty: LOYALTY_RPC,
  promotion: {
    ping: 'promotion.system.ping',
    ...CAMPAIGN_RPC,
    ...COUPON_RPC,
  },
  webhooks: WEBHOOK_RPC,
} as const;
/** A service that answers RPCs (its queue is `rpc.<service>`, see libs/messaging's Topology). */
export type RpcService = keyof typeof RPC;

export const EVENTS = {
  userLoggedIn: 'auth.user.logged-in',
  userEnrolled: 'auth.user.enrolled',
  /** A user was disabled or had their roles changed, or an API client was revoked. */
  principalRevoked: 'auth.principal.revoked',
  pointsAdjusted: 'loyalty.points.adjusted',
  purchaseRecorded: 'loyalty.purchase.recorded',
  purchaseRefunded: 'loyalty.purchase.refunded',
  pointsRedeemed: 'loyalty.points.redeemed',
  pointsReversed: 'loyalty.points.reversed',
  pointsExpired: 'loyalty.points.expired',
  tierChanged: 'loyalty.tier.changed',
  /** The points policy or the tiers changed: every loyalty replica re-reads them at once. */
  loyaltySettingsChanged: 'loyalty.settings.changed',
  auditRecorded: 'audit.recorded',
  couponGenerationRequested: 'promotion.coupon-generation.requested',
  // For integrators (webhooks): see webhooks/source-events.ts.
  userRegistered: 'auth.user.registered',
  /** A batch of first-login vouchers (one event per issuing transaction). */
  vouchersIssued: 'promotion.vouchers.issued',
  voucherRedeemed: 'promotion.voucher.redeemed',
  couponAssigned: 'promotion.coupon.assigned',
  couponRedeemed: 'promotion.coupon.redeemed',
  generationJobCompleted: 'promotion.generation-job.completed',
  generationJobFailed: 'promotion.generation-job.failed',
} as const;
