import type { DomainError } from '@lib/errors';
import {
  holderNamedByPerson,
  holderRequired,
  voucherAlreadyRedeemed,
  voucherExpired,
  voucherNotFound,
} from './campaigns.errors';

export interface Voucher {
  voucherId: string;
  code: string;
  campaignId: string;
  userId: string;
  /** Copied from the campaign when issued: what the member was promised. */
  description: string | null;
  discountPercent: number;
  issuedAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
  orderId: string | null;
  /** The login event that earned it. */
  eventId: string;
}

export type VoucherStatus = 'AVAILABLE' | 'REDEEMED' | 'EXPIRED';

const DAY_MS = 24 * 3600 * 1000;

export function voucherExpiry(issuedAt: Date, validDays: number): Date {
  return new Date(issuedAt.getTime() + validDays * DAY_MS);
}

/** EXPIRED is computed, never stored: a voucher expires by the clock, not by a job. */
export function voucherStatus(voucher: Pick<Voucher, 'redeemedAt' | 'expiresAt'>, now: Date): VoucherStatus {
  if (voucher.redeemedAt) return 'REDEEMED';
  return now >= voucher.expiresAt ? 'EXPIRED' : 'AVAILABLE';
}

/**
 * Why a redemption that did not apply was refused, from the voucher as the same transaction sees
 * it: a replay of the same order is not a refusal (null), another order is, an expired voucher is
 * gone, and someone else's voucher does not exist for this caller.
 */
export function redemptionRefusal(
  voucher: Voucher | null,
  userId: string,
  orderId: string,
  now: Date,
): DomainError | null {
  if (!voucher || voucher.userId !== userId) return voucherNotFound();
  if (voucher.redeemedAt) return voucher.orderId === orderId ? null : voucherAlreadyRedeemed();
  if (now >= voucher.expiresAt) return voucherExpired(voucher.expiresAt);
  // Only a read outside the redeeming transaction's snapshot could get here.
  throw new Error('voucher is redeemable, yet the redemption did not apply');
}

/**
 * Whose voucher a redemption is for: a member's own (naming anyone is refused), or the member an
 * API client (a till, scope vouchers:redeem) names, which it must. The voucher must then be that
 * member's, or it is 404 like any voucher that doesn't exist.
 */
export function voucherHolder(
  caller: { userId: string; clientId?: string },
  named: string | undefined,
): string {
  if (!caller.clientId) {
    if (named !== undefined) throw holderNamedByPerson();
    return caller.userId;
  }
  if (named === undefined) throw holderRequired();
  return named;
}
