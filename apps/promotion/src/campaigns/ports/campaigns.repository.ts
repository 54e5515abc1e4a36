import type { Page } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { Campaign, CampaignStatus, CampaignTrigger } from '../domain/campaign';

/** Campaigns, and the counters that bound them. Must be called inside a unit of work to write. */
export abstract class CampaignsRepository {
  abstract insert(campaign: Campaign): Promise<void>;
  abstract findById(campaignId: string): Promise<Campaign | null>;
  /** Newest first; a cursor this list did not give out is a 400 naming `cursor`. */
  abstract list(page: PageRequest): Promise<Page<Campaign>>;
  /** How many campaigns there are in all. */
  abstract count(): Promise<number>;
  abstract findActive(trigger?: CampaignTrigger): Promise<Campaign[]>;
  abstract setStatus(campaignId: string, status: CampaignStatus, at: Date): Promise<void>;
  /**
   * Writes the trigger's one "active slot" record, so two transactions that each checked for
   * overlapping active campaigns and found none cannot both commit: the second one's write to the
   * same record conflicts, and on retry it sees the first one's campaign.
   */
  abstract claimActiveSlot(trigger: CampaignTrigger): Promise<void>;
  /**
   * Takes `count` vouchers from `remaining` (and adds them to `issued`), only while the campaign is
   * ACTIVE with at least that many left. False when it did not apply.
   */
  abstract takeVouchers(campaignId: string, count: number): Promise<boolean>;
  abstract countRedemption(campaignId: string): Promise<void>;
}
