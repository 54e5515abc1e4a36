import { campaignEnded, campaignEndsBeforeItStarts, campaignEndsInThePast } from './campaigns.errors';

export type CampaignTrigger = 'FIRST_LOGIN';
export type CampaignStatus = 'ACTIVE' | 'PAUSED' | 'ENDED';

export interface Campaign {
  campaignId: string;
  name: string;
  description: string | null;
  trigger: CampaignTrigger;
  status: CampaignStatus;
  discountPercent: number;
  voucherLimit: number;
  voucherValidDays: number;
  startsAt: Date;
  /** null: open-ended. */
  endsAt: Date | null;
  /** eligibility.registeredBefore: only accounts created before it earn a voucher; null: all. */
  registeredBefore: Date | null;
  issued: number;
  /** voucherLimit - issued, kept as its own field so one conditional update can take from it. */
  remaining: number;
  redeemed: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCampaignInput {
  campaignId: string;
  name: string;
  description?: string;
  trigger: CampaignTrigger;
  discountPercent: number;
  voucherLimit: number;
  startsAt?: string;
  endsAt?: string;
  voucherValidDays?: number;
  eligibility?: { registeredBefore?: string };
}

/** A new campaign starts ACTIVE; it starts now unless told otherwise, and may be open-ended. */
export function newCampaign(input: NewCampaignInput, now: Date, defaultValidDays: number): Campaign {
  const startsAt = input.startsAt ? new Date(input.startsAt) : now;
  const endsAt = input.endsAt ? new Date(input.endsAt) : null;
  if (endsAt && endsAt <= startsAt) throw campaignEndsBeforeItStarts();
  if (endsAt && endsAt <= now) throw campaignEndsInThePast();
  return {
    campaignId: input.campaignId,
    name: input.name,
    description: input.description ?? null,
    trigger: input.trigger,
    status: 'ACTIVE',
    discountPercent: input.discountPercent,
    voucherLimit: input.voucherLimit,
    voucherValidDays: input.voucherValidDays ?? defaultValidDays,
    startsAt,
    endsAt,
    registeredBefore: input.eligibility?.registeredBefore
      ? new Date(input.eligibility.registeredBefore)
      : null,
    issued: 0,
    remaining: input.voucherLimit,
    redeemed: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/** Half-open windows [startsAt, endsAt); a null end reaches forever. */
export function windowsOverlap(
  a: Pick<Campaign, 'startsAt' | 'endsAt'>,
  b: Pick<Campaign, 'startsAt' | 'endsAt'>,
): boolean {
  const aEndsAfterBStarts = a.endsAt === null || a.endsAt > b.startsAt;
  const bEndsAfterAStarts = b.endsAt === null || b.endsAt > a.startsAt;
  return aEndsAfterBStarts && bEndsAfterAStarts;
}

/** Issues vouchers for a login at `at`: ACTIVE now, and `at` inside its window. */
export function isIssuingAt(campaign: Campaign, at: Date): boolean {
  return (
    campaign.status === 'ACTIVE' &&
    campaign.startsAt <= at &&
    (campaign.endsAt === null || at < campaign.endsAt)
  );
}

/**
 * Whether an account created at `registeredAt` may earn the campaign's vouchers. An unknown
 * creation time (a login event from before events carried it) is not eligible where the campaign
 * asks for accounts registered before a time: a campaign for existing customers must not be
 * drained by accounts it can't tell apart from new ones.
 */
export function isEligible(campaign: Campaign, registeredAt: Date | null): boolean {
  if (!campaign.registeredBefore) return true;
  return registeredAt !== null && registeredAt < campaign.registeredBefore;
}

/** ACTIVE <-> PAUSED freely; either may end; ENDED is final. The same status again is a no-op. */
export function assertStatusChange(from: CampaignStatus, to: CampaignStatus): void {
  if (from === 'ENDED' && to !== 'ENDED') throw campaignEnded();
}

/** Another of these active campaigns whose window overlaps this one's: the two may not coexist. */
export function overlappingCampaign(active: Campaign[], campaign: Campaign): Campaign | undefined {
  return active.find((c) => c.campaignId !== campaign.campaignId && windowsOverlap(c, campaign));
}
