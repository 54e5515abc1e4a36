import { DomainError, ValidationFailed } from '@lib/errors';

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
}

/** A new campaign starts ACTIVE; it starts now unless told otherwise, and may be open-ended. */
export function newCampaign(input: NewCampaignInput, now: Date, defaultValidDays: number): Campaign {
  const startsAt = input.startsAt ? new Date(input.startsAt) : now;
  const endsAt = input.endsAt ? new Date(input.endsAt) : null;
  if (endsAt && endsAt <= startsAt) {
    throw new ValidationFailed([{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);
  }
  if (endsAt && endsAt <= now) {
    throw new ValidationFailed([{ field: 'endsAt', message: 'endsAt must be in the future' }]);
  }
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

export function campaignConflict(other: Campaign): DomainError {
  return new DomainError(
    'CAMPAIGN_CONFLICT',
    `another active ${other.trigger} campaign overlaps this one in time: pause or end it first`,
    { conflictingCampaignId: other.campaignId },
  );
}

/** ACTIVE <-> PAUSED freely; either may end; ENDED is final. The same status again is a no-op. */
export function assertStatusChange(from: CampaignStatus, to: CampaignStatus): void {
  if (from === 'ENDED' && to !== 'ENDED') {
    throw new DomainError('CAMPAIGN_CONFLICT', 'the campaign has ended: an ended campaign cannot restart', {
      status: from,
    });
  }
}
