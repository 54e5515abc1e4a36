import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { WEBHOOK_EVENT_SOURCES, type WebhookSourceEvent } from '@lib/contracts';
import { TransactionScope } from '@lib/persistence';
import type { Delivery } from '../domain/delivery';
import { subscribes } from '../domain/endpoint';
import { toOutgoingEvents } from '../domain/public-event';
import { DeliveriesRepository } from '../ports/deliveries.repository';
import { EndpointsRepository } from '../ports/endpoints.repository';
import { DeliveryScheduler } from '../services/delivery-scheduler';

export interface SourceEvent {
  name: WebhookSourceEvent;
  payload: { eventId: string; occurredAt: string };
}

/**
 * Fans a batch of domain events out into deliveries, one per event and subscribed ENABLED
 * endpoint, in the consumer's unit of work. Deliveries this replica has room for are claimed by
 * it and handed to its lanes once the batch commits, so they go out without waiting for a poll;
 * the rest wait in MongoDB for whichever replica has room.
 */
@Injectable()
export class DispatchEventsHandler {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async execute(events: SourceEvent[]): Promise<void> {
    const types = [...new Set(events.map((e) => WEBHOOK_EVENT_SOURCES[e.name]))];
    const endpoints = await this.endpoints.enabledFor(types);
    if (!endpoints.length) return;
    const room = new Map(endpoints.map((e) => [e.webhookId, this.scheduler.room(e.webhookId)]));
    const claimed: Delivery[] = [];
    const unclaimed: Delivery[] = [];
    const now = new Date();
    for (const outgoing of events.flatMap((e) => toOutgoingEvents(e.name, e.payload))) {
      const body = JSON.stringify(outgoing.event);
      for (const endpoint of endpoints) {
        if (!subscribes(endpoint, outgoing.event.type)) continue;
        const delivery: Delivery = {
          deliveryId: randomUUID(),
          webhookId: endpoint.webhookId,
          eventId: outgoing.webhookId,
          eventType: outgoing.event.type,
          body,
          status: 'PENDING',
          attempts: 0,
          lastStatusCode: null,
          lastError: null,
          lastAttemptAt: null,
          nextAttemptAt: now,
          finalAttempt: false,
          createdAt: now,
        };
        const left = room.get(endpoint.webhookId) ?? 0;
        if (left > 0) {
          room.set(endpoint.webhookId, left - 1);
          claimed.push(delivery);
        } else unclaimed.push(delivery);
      }
    }
    await this.deliveries.add(claimed, this.scheduler.instanceId);
    await this.deliveries.add(unclaimed, null);
    TransactionScope.afterCommit(() => {
      this.scheduler.learn(endpoints);
      this.scheduler.take(claimed);
      for (const webhookId of new Set(unclaimed.map((d) => d.webhookId)))
        this.scheduler.overflowed(webhookId);
    });
  }
}
