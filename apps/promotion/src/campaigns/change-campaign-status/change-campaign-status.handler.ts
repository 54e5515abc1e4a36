import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, auditTarget, EVENTS } from '@lib/contracts';
import type { CampaignDto, CampaignStatus } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { assertStatusChange, overlappingCampaign } from '../domain/campaign';
import { campaignConflict, campaignNotFound } from '../domain/campaigns.errors';
import { CampaignsRepository } from '../ports/campaigns.repository';
import { toCampaignDto } from '../queries/campaign.views';

/**
 * Pause, resume or end. Resuming checks overlaps again, under the same active-slot claim as
 * create. Setting the status it already has changes nothing and records no audit entry.
 */
@Injectable()
export class ChangeCampaignStatusHandler {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(actorId: string, campaignId: string, status: CampaignStatus): Promise<CampaignDto> {
    return this.uow.run(async () => {
      const now = new Date();
      const campaign = await this.campaigns.findById(campaignId);
      if (!campaign) throw campaignNotFound();
      if (campaign.status === status) return toCampaignDto(campaign);
      assertStatusChange(campaign.status, status);
      if (status === 'ACTIVE') {
        await this.campaigns.claimActiveSlot(campaign.trigger);
        const other = overlappingCampaign(await this.campaigns.findActive(campaign.trigger), campaign);
        if (other) throw campaignConflict(other);
      }
      await this.campaigns.setStatus(campaignId, status, now);
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        actorId,
        action: AUDIT_ACTIONS.campaignUpdated,
        target: auditTarget('campaign', campaignId),
        details: { from: campaign.status, status },
      });
      return toCampaignDto({ ...campaign, status, updatedAt: now });
    });
  }
}
