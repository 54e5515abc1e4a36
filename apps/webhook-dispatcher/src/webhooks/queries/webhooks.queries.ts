import { Injectable } from '@nestjs/common';
import type { DeliveryPageDto, DeliveryQueryDto, WebhookDto, WebhookPageDto } from '@lib/contracts';
import { NotFound } from '@lib/errors';
import type { PageRequest } from '@lib/paging';
import { toDeliveryView } from '../domain/delivery';
import { toWebhookView } from '../domain/endpoint';
import { DeliveriesRepository } from '../ports/deliveries.repository';
import { EndpointsRepository } from '../ports/endpoints.repository';

/** What admins read: endpoints (never their secrets) and their delivery logs. */
@Injectable()
export class WebhooksQueries {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async list(request: PageRequest): Promise<WebhookPageDto> {
    const page = await this.endpoints.page(request);
    return { items: page.items.map(toWebhookView), nextCursor: page.nextCursor, total: page.total };
  }

  async get(webhookId: string): Promise<WebhookDto> {
    const endpoint = await this.endpoints.get(webhookId);
    if (!endpoint) throw new NotFound('webhook');
    return toWebhookView(endpoint);
  }

  async deliveriesOf(
    webhookId: string,
    query: DeliveryQueryDto,
    request: PageRequest,
  ): Promise<DeliveryPageDto> {
    if (!(await this.endpoints.get(webhookId))) throw new NotFound('webhook');
    const page = await this.deliveries.page(
      webhookId,
      { status: query.status, eventType: query.eventType },
      request,
    );
    return { items: page.items.map(toDeliveryView), nextCursor: page.nextCursor, total: page.total };
  }
}
