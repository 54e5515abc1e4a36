import { DomainError, NotFound, ValidationFailed } from '@lib/errors';
import type { Campaign } from './campaign';

/** The errors of campaigns and vouchers: every refusal the area answers is built here. */

export const campaignNotFound = () => new NotFound('campaign');

/** Also for someone else's voucher: existence never leaks. */
export const voucherNotFound = () => new NotFound('voucher');

export const campaignEndsBeforeItStarts = () =>
  new ValidationFailed([{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);

export const campaignEndsInThePast = () =>
  new ValidationFailed([{ field: 'endsAt', message: 'endsAt must be in the future' }]);

/** Names the blocking campaign, so a person can find it (and the console can link it). */
export const campaignConflict = (other: Pick<Campaign, 'campaignId' | 'trigger' | 'name'>) =>
  new DomainError(
    'CAMPAIGN_CONFLICT',
    `Campaign "${other.name}" is active over those dates (${other.trigger}): pause or end it first`,
    {
      conflictingCampaignId: other.campaignId,
      conflictingCampaign: { campaignId: other.campaignId, name: other.name },
    },
  );

export const campaignEnded = () =>
  new DomainError('CAMPAIGN_CONFLICT', 'the campaign has ended: an ended campaign cannot restart');

export const voucherAlreadyRedeemed = () =>
  new DomainError('VOUCHER_ALREADY_REDEEMED', 'this voucher was already redeemed for another order');

export const voucherExpired = (expiresAt: Date) =>
  new DomainError('VOUCHER_EXPIRED', 'this voucher has expired', { expiresAt: expiresAt.toISOString() });

/** A person redeems their own vouchers: only API clients (a till) name the member. */
export const holderNamedByPerson = () =>
  new ValidationFailed([
    { field: 'userId', message: 'only API clients name a member; a member redeems their own vouchers' },
  ]);

/** An API client must say whose voucher it redeems: the voucher has to be that member's. */
export const holderRequired = () =>
  new ValidationFailed([
    { field: 'userId', message: 'userId is required: an API client names the member who holds the voucher' },
  ]);
