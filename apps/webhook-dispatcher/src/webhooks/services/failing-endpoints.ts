import { Inject, Injectable } from '@nestjs/common';
import { AUDIT_ACTIONS } from '@lib/contracts';
import { LOGGER, Logger } from '@lib/observability';
import { UnitOfWork } from '@lib/persistence';
import { WebhookDispatcherSettings } from '../../webhook-dispatcher.settings';
import { failingTooLong, type WebhookEndpoint } from '../domain/endpoint';
import { EndpointsRepository } from '../ports/endpoints.repository';
import { WebhookAudit } from './webhook-audit';

/** The audit log's actor for what the dispatcher does on its own. */
export const DISPATCHER_ACTOR = 'system:webhook-dispatcher';

/**
 * Keeps each endpoint's `failingSince` (set by its first failure after a success, cleared by a
 * success) and disables an endpoint whose deliveries have all failed for WEBHOOKS_DISABLE_AFTER
 * (5 days), with an audit entry in the same unit of work.
 */
@Injectable()
export class FailingEndpoints {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly uow: UnitOfWork,
    private readonly audit: WebhookAudit,
    private readonly settings: WebhookDispatcherSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * After a failed attempt. `endpoint` is the replica's copy, updated in place; true when the
   * endpoint has just been disabled.
   */
  async recordFailure(endpoint: WebhookEndpoint, at: Date): Promise<boolean> {
    if (!endpoint.failingSince)
      endpoint.failingSince = await this.endpoints.recordFailure(endpoint.webhookId, at);
    const since = endpoint.failingSince;
    if (!since || !failingTooLong(since, at, this.settings.disableAfterMs)) return false;
    const disabled = await this.uow.run(async () => {
      if (!(await this.endpoints.disableFailing(endpoint.webhookId, since, at))) return false;
      await this.audit.record(
        DISPATCHER_ACTOR,
        AUDIT_ACTIONS.webhookDisabledFailing,
        endpoint.webhookId,
        { url: endpoint.url, failingSince: since.toISOString() },
        at,
      );
      return true;
    });
    if (disabled)
      this.logger.warn(
        { webhookId: endpoint.webhookId, failingSince: since.toISOString() },
        'webhooks: endpoint disabled after failing for too long',
      );
    return disabled;
  }
}
