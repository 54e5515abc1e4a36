import { Injectable } from '@nestjs/common';
import type { ActiveCampaignStatDto, CampaignDto, CampaignPageDto } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { campaignNotFound } from '../domain/campaigns.errors';
import { CampaignsRepository } from '../ports/campaigns.repository';
import { toCampaignDto } from './campaign.views';

/** The admin's reads of campaigns: the list, one campaign, and the active ones' figures. */
@Injectable()
export class CampaignsQueries {
  constructor(private readonly campaigns: CampaignsRepository) {}

  async list(page: PageRequest): Promise<CampaignPageDto> {
    const [{ items, nextCursor }, total] = await Promise.all([
      this.campaigns.list(page),
      this.campaigns.count(),
    ]);
    return { items: items.map(toCampaignDto), nextCursor, total };
  }

  async get(campaignId: string): Promise<CampaignDto> {
    const campaign = await this.campaigns.findById(campaignId);
    if (!campaign) throw campaignNotFound();
    return toCampaignDto(campaign);
  }

  async activeStats(): Promise<ActiveCampaignStatDto[]> {
    return (await this.campaigns.findActive()).map((c) => ({
      campaignId: c.campaignId,
      name: c.name,
      issued: c.issued,
      remaining: c.remaining,
    }));
  }
}
