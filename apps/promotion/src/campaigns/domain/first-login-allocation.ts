import { Campaign, isEligible, isIssuingAt } from './campaign';

export interface FirstLogin {
  eventId: string;
  userId: string;
  at: Date;
  /** When the account was created; null when the login event didn't say (older events). */
  registeredAt: Date | null;
}

export interface CampaignAllocation {
  campaign: Campaign;
  /** In the order the logins happened; at most one per user. */
  logins: FirstLogin[];
}

/**
 * Which campaign each first login may earn a voucher from: the one issuing at the time of the
 * login (at most one can be, since active FIRST_LOGIN campaigns never overlap), when the account is
 * eligible for it (eligibility.registeredBefore). Earliest logins
 * first, one per user. `remaining` is applied later, once users who already hold one are removed.
 */
export function allocateFirstLogins(logins: FirstLogin[], campaigns: Campaign[]): CampaignAllocation[] {
  const byCampaign = new Map<string, CampaignAllocation>();
  const seen = new Set<string>();
  const ordered = [...logins].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const login of ordered) {
    const campaign = campaigns.find((c) => c.trigger === 'FIRST_LOGIN' && isIssuingAt(c, login.at));
    if (!campaign || !isEligible(campaign, login.registeredAt)) continue;
    const key = `${campaign.campaignId}:${login.userId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = byCampaign.get(campaign.campaignId) ?? { campaign, logins: [] };
    entry.logins.push(login);
    byCampaign.set(campaign.campaignId, entry);
  }
  return [...byCampaign.values()];
}
