import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { WEBHOOK_EVENT_SOURCES, type WebhookSourceEvent } from '@lib/contracts';
import { BatchEventConsumer } from '@lib/messaging';
import { DispatchEventsHandler } from './dispatch-events.handler';

export const DISPATCH_CONSUMER = 'webhook-dispatcher.events';

/**
 * Every domain event integrators can subscribe to, from every service, through one durable queue:
 * in batches of up to 200 per transaction, deduped by event id, acked only after the deliveries
 * they make have committed.
 */
@Injectable()
export class DispatchEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly consumer: BatchEventConsumer,
    private readonly dispatch: DispatchEventsHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.subscribe({
      consumer: DISPATCH_CONSUMER,
      events: Object.keys(WEBHOOK_EVENT_SOURCES) as WebhookSourceEvent[],
      batchSize: 200,
      handle: (items) =>
        this.dispatch.execute(
          items.map((i) => ({ name: i.meta.name as WebhookSourceEvent, payload: i.payload })),
        ),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.close();
  }
}
