import { EVENT_VERSIONS, EventPayloads } from '@lib/contracts';
import { AmqpConnection } from './amqp-connection';
import { Topology } from './topology';

export interface OutgoingEvent {
  eventId: string;
  name: string;
  payload: unknown;
  requestId?: string;
  /** W3C trace context of the publish, for the consumers' spans. */
  traceparent?: string;
}

/**
 * Publishes events to the durable topic exchange, persistent, and resolves only once the broker
 * has confirmed every one of them: an unconfirmed event stays in the outbox and is sent again.
 */
export class EventPublisher {
  constructor(
    private readonly amqp: AmqpConnection,
    private readonly topology: Topology,
  ) {}

  async init(): Promise<void> {
    await this.amqp.addSetup(async (connection) => {
      const channel = await connection.createChannel();
      await channel.assertExchange(this.topology.eventsExchange, 'topic', { durable: true });
      await channel.assertExchange(this.topology.deadLetterExchange, 'direct', { durable: true });
      await channel.close();
    });
  }

  async publishAll(events: OutgoingEvent[]): Promise<void> {
    const channel = this.amqp.publishChannel();
    const confirmations = events.map(
      (event) =>
        new Promise<void>((resolve, reject) => {
          channel.publish(
            this.topology.eventsExchange,
            event.name,
            Buffer.from(JSON.stringify(event.payload)),
            {
              persistent: true,
              messageId: event.eventId,
              type: event.name,
              contentType: 'application/json',
              timestamp: Math.floor(Date.now() / 1000),
              headers: {
                'x-request-id': event.requestId,
                traceparent: event.traceparent,
                'x-event-version': EVENT_VERSIONS[event.name as keyof EventPayloads] ?? 1,
              },
            },
            (err: unknown) => (err ? reject(new Error('broker refused the event')) : resolve()),
          );
        }),
    );
    await Promise.all(confirmations);
  }
}
