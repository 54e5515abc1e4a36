import { Injectable } from '@nestjs/common';
import { AUDIT_ACTIONS, emptyWebhookUpdate, type UpdateWebhookDto, type WebhookDto } from '@lib/contracts';
import { NotFound, ValidationFailed } from '@lib/errors';
import { UnitOfWork } from '@lib/persistence';
import { toWebhookView } from '../domain/endpoint';
import { EndpointChanges, EndpointsRepository } from '../ports/endpoints.repository';
import { WebhookTargets } from '../ports/webhook-targets';
import { DeliveryScheduler } from '../services/delivery-scheduler';
import { WebhookAudit } from '../services/webhook-audit';

/**
 * An admin changes an endpoint: a new URL is checked like a new endpoint's; enabling starts afresh
 * (no longer failing, its waiting deliveries resume); disabling holds its deliveries.
 */
@Injectable()
export class UpdateWebhookHandler {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly targets: WebhookTargets,
    private readonly audit: WebhookAudit,
    private readonly scheduler: DeliveryScheduler,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(actor: { userId: string }, webhookId: string, input: UpdateWebhookDto): Promise<WebhookDto> {
    const empty = emptyWebhookUpdate(input);
    if (empty.length) throw new ValidationFailed(empty);
    if (input.url !== undefined) await this.targets.checkUrl(input.url);
    const changes: EndpointChanges = {};
    if (input.url !== undefined) changes.url = input.url;
    if (input.events !== undefined) changes.events = [...input.events];
    if (input.description !== undefined) changes.description = input.description;
    if (input.status === 'ENABLED')
      Object.assign(changes, { status: 'ENABLED', disabledReason: null, failingSince: null });
    if (input.status === 'DISABLED') Object.assign(changes, { status: 'DISABLED', disabledReason: 'ADMIN' });
    const now = new Date();
    const updated = await this.uow.run(async () => {
      const endpoint = await this.endpoints.update(webhookId, changes, now);
      if (!endpoint) throw new NotFound('webhook');
      await this.audit.record(actor.userId, AUDIT_ACTIONS.webhookUpdated, webhookId, { ...input }, now);
      return endpoint;
    });
    this.scheduler.endpointChanged(updated, webhookId);
    return toWebhookView(updated);
  }
}
