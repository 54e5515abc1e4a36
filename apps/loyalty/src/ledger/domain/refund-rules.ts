import { refundExceedsPurchase } from './ledger.errors';
import type { Decimal } from './money';
import { type Lot, type LotSpend, takeOldestFirst } from './payer-lots';

/** What a purchase remembers for its refunds: the amount, the rate it earned at, what is refunded. */
export interface RefundablePurchase {
  currency: string;
  minorUnits: number;
  amountMinor: number;
  refundedMinor: number;
  /** earn rate × the tier multiplier the purchase earned with. */
  rate: Decimal;
  pointsEarned: number;
  refundedPoints: number;
}

/** 422 when this refund would take the purchase's refunds past its amount. */
export function checkRefundable(purchase: RefundablePurchase, amountMinor: number, amountText: string): void {
  const left = purchase.amountMinor - purchase.refundedMinor;
  if (amountMinor > left) {
    throw refundExceedsPurchase(left, purchase.minorUnits, purchase.currency, amountText);
  }
}

/**
 * floor(amount × the purchase's rate), never more than the purchase's points not yet refunded:
 * the floors of partial refunds add up to at most the floor of their sum, so refunds can never
 * take back more than the purchase earned.
 */
export function refundPoints(purchase: RefundablePurchase, amountMinor: number): number {
  const exact =
    (BigInt(amountMinor) * purchase.rate.units) / 10n ** BigInt(purchase.minorUnits + purchase.rate.scale);
  return Math.min(Number(exact), purchase.pointsEarned - purchase.refundedPoints);
}

export interface OwnLot {
  lotId: string;
  payer: string;
  remaining: number;
  pending: boolean;
}

export interface RefundPlan {
  /** Taken from the purchase's own lot (pending or available). */
  own: number;
  /** Then from the group's other available lots, oldest first. */
  others: LotSpend[];
  /** What was already spent or expired: never taken, no balance goes negative. */
  unrecovered: number;
}

export function planRefund(points: number, own: OwnLot | null, others: Lot[]): RefundPlan {
  const fromOwn = own ? Math.min(own.remaining, points) : 0;
  const rest = points - fromOwn;
  const fromOthers = rest > 0 ? takeOldestFirst(others, rest).lots : [];
  const taken = fromOwn + fromOthers.reduce((sum, lot) => sum + lot.points, 0);
  return { own: fromOwn, others: fromOthers, unrecovered: points - taken };
}
