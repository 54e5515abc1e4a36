import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, type CreateWebhookDto, type CreatedWebhookDto } from '@lib/contracts';
import { UnitOfWork } from '@lib/persistence';
import { newSigningSecret, toWebhookView, type WebhookEndpoint } from '../domain/endpoint';
import { EndpointsRepository } from '../ports/endpoints.repository';
import { WebhookTargets } from '../ports/webhook-targets';
import { DeliveryScheduler } from '../services/delivery-scheduler';
import { WebhookAudit } from '../services/webhook-audit';

/**
 * An admin adds an endpoint. Its URL is checked against the operator's policy first; the endpoint
 * and its audit entry (never the secret) commit together; the secret is answered this once.
 */
@Injectable()
export class CreateWebhookHandler {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly targets: WebhookTargets,
    private readonly audit: WebhookAudit,
    private readonly scheduler: DeliveryScheduler,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(actor: { userId: string }, input: CreateWebhookDto): Promise<CreatedWebhookDto> {
    await this.targets.checkUrl(input.url);
    const now = new Date();
    const endpoint: WebhookEndpoint = {
      webhookId: randomUUID(),
      url: input.url,
      events: [...input.events],
      description: input.description ?? null,
      status: 'ENABLED',
      disabledReason: null,
      failingSince: null,
      secret: newSigningSecret(),
      createdAt: now,
      updatedAt: now,
    };
    await this.uow.run(async () => {
      await this.endpoints.insert(endpoint);
      await this.audit.record(
        actor.userId,
        AUDIT_ACTIONS.webhookCreated,
        endpoint.webhookId,
        { url: endpoint.url, events: endpoint.events },
        now,
      );
    });
    this.scheduler.endpointChanged(endpoint, endpoint.webhookId);
    return { ...toWebhookView(endpoint), secret: endpoint.secret };
  }
}
