import { Injectable } from '@nestjs/common';
import { AUDIT_ACTIONS } from '@lib/contracts';
import { NotFound } from '@lib/errors';
import { UnitOfWork } from '@lib/persistence';
import { DeliveriesRepository } from '../ports/deliveries.repository';
import { EndpointsRepository } from '../ports/endpoints.repository';
import { DeliveryScheduler } from '../services/delivery-scheduler';
import { WebhookAudit } from '../services/webhook-audit';

/**
 * An admin deletes an endpoint: it and its audit entry commit together, then its delivery log goes
 * (outside the transaction: it may be large; a delivery left behind by a crash is never attempted,
 * as its endpoint is gone, and expires with the log).
 */
@Injectable()
export class DeleteWebhookHandler {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly audit: WebhookAudit,
    private readonly scheduler: DeliveryScheduler,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(actor: { userId: string }, webhookId: string): Promise<void> {
    const now = new Date();
    await this.uow.run(async () => {
      const endpoint = await this.endpoints.get(webhookId);
      if (!endpoint || !(await this.endpoints.delete(webhookId))) throw new NotFound('webhook');
      await this.audit.record(
        actor.userId,
        AUDIT_ACTIONS.webhookDeleted,
        webhookId,
        { url: endpoint.url },
        now,
      );
    });
    this.scheduler.endpointChanged(null, webhookId);
    await this.deliveries.deleteForEndpoint(webhookId);
  }
}
