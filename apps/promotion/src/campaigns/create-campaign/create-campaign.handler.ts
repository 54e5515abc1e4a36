import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, auditTarget, EVENTS } from '@lib/contracts';
import type { CampaignDto, CreateCampaignDto } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { CampaignSettings } from '../campaigns.settings';
import { newCampaign, overlappingCampaign } from '../domain/campaign';
import { campaignConflict } from '../domain/campaigns.errors';
import { CampaignsRepository } from '../ports/campaigns.repository';
import { toCampaignDto } from '../queries/campaign.views';

/**
 * Create: one transaction claims the trigger's active slot, checks that no other ACTIVE campaign
 * of the trigger overlaps in time, inserts the campaign and adds its audit event. Two concurrent
 * creates both write the slot, so only one commits; the other retries and then sees it.
 */
@Injectable()
export class CreateCampaignHandler {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
    private readonly settings: CampaignSettings,
  ) {}

  async execute(actorId: string, input: CreateCampaignDto): Promise<CampaignDto> {
    const now = new Date();
    const campaign = newCampaign(
      { ...input, campaignId: randomUUID() },
      now,
      this.settings.defaultVoucherValidDays,
    );
    await this.uow.run(async () => {
      await this.campaigns.claimActiveSlot(campaign.trigger);
      const other = overlappingCampaign(await this.campaigns.findActive(campaign.trigger), campaign);
      if (other) throw campaignConflict(other);
      await this.campaigns.insert(campaign);
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        actorId,
        action: AUDIT_ACTIONS.campaignCreated,
        target: auditTarget('campaign', campaign.campaignId),
        details: { ...toCampaignDto(campaign) },
      });
    });
    return toCampaignDto(campaign);
  }
}
