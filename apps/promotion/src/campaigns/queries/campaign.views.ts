import type { CampaignDto, VoucherDto } from '@lib/contracts';
import { Campaign } from '../domain/campaign';
import { Voucher, voucherStatus } from '../domain/voucher';

// How campaigns and vouchers look on the wire (RPC replies and audit details).

export const toCampaignDto = (c: Campaign): CampaignDto => ({
  campaignId: c.campaignId,
  name: c.name,
  description: c.description,
  trigger: c.trigger,
  status: c.status,
  discountPercent: c.discountPercent,
  voucherLimit: c.voucherLimit,
  voucherValidDays: c.voucherValidDays,
  startsAt: c.startsAt.toISOString(),
  endsAt: c.endsAt?.toISOString() ?? null,
  eligibility: { registeredBefore: c.registeredBefore?.toISOString() ?? null },
  issued: c.issued,
  remaining: c.remaining,
  redeemed: c.redeemed,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const toVoucherDto = (v: Voucher, now: Date): VoucherDto => ({
  voucherId: v.voucherId,
  code: v.code,
  campaignId: v.campaignId,
  description: v.description,
  discountPercent: v.discountPercent,
  issuedAt: v.issuedAt.toISOString(),
  expiresAt: v.expiresAt.toISOString(),
  status: voucherStatus(v, now),
  redeemedAt: v.redeemedAt?.toISOString() ?? null,
  orderId: v.orderId,
});
