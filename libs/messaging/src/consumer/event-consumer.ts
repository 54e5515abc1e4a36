import type { Channel, ConsumeMessage } from 'amqplib';
import type { EventPayloads } from '@lib/contracts';
import { Logger, RequestContext } from '@lib/observability';
import { UnitOfWork } from '@lib/persistence';
import { AmqpConnection } from '../amqp-connection';
import { afterBrokerSetup } from './after-broker-setup';
import { InFlight, Subscription, closeGracefully } from '../in-flight';
import { Topology } from '../topology';
import { EventMeta, attemptOf, declareConsumerQueue, parseEvent, settleFailedDelivery } from './delivery';
import { ProcessedEvents } from './processed-events';

export { PoisonMessage } from './delivery';
export type { EventMeta } from './delivery';

export interface SubscriptionOptions<N extends keyof EventPayloads> {
  /** Names the durable queue and the dedupe scope, e.g. `promotion.first-login-vouchers`. */
  consumer: string;
  events: N[];
  /** Runs inside the unit of work that also records the event id; throw to retry. */
  handle: (payload: EventPayloads[N], meta: EventMeta) => Promise<void>;
  /** Returns a reason when the payload can never be handled: it goes straight to the DLQ. */
  validate?: (payload: unknown, name: N) => string | undefined;
  prefetch?: number;
  /** Tries before a failing message is dead-lettered. */
  maxAttempts?: number;
}

/**
 * Consumes events from a durable queue with manual acks and exactly-once effects:
 * - the handler's writes and the processed-event record commit in one transaction, and the
 *   message is acked only after that commit (a crash before it means a redelivery, which the
 *   record then skips);
 * - a failing handler is retried with backoff by republishing with an attempt count, and after
 *   maxAttempts the message goes to the queue's dead-letter queue, as does a poison message at once.
 */
export class EventConsumer {
  private readonly subscriptions = new Set<Subscription>();
  private readonly inFlight = new InFlight();
  private closed = false;

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly topology: Topology,
    private readonly uow: UnitOfWork,
    private readonly processed: ProcessedEvents,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts consuming once the broker connection's own setup has run (the RPC queue among it), and
   * again on every reconnect; a failure to subscribe is logged. Every consumer of every service
   * starts this way, so none needs the connection or the logger itself.
   */
  async subscribe<N extends keyof EventPayloads>(options: SubscriptionOptions<N>): Promise<void> {
    await afterBrokerSetup(this.amqp, this.logger, options.consumer, () => this.consume(options));
  }

  private async consume<N extends keyof EventPayloads>(options: SubscriptionOptions<N>): Promise<void> {
    const queue = this.topology.consumerQueue(options.consumer);
    await this.amqp.addSetup(async (connection) => {
      if (this.closed) return; // a reconnect after close() must not start consuming again
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);

      await declareConsumerQueue(channel, this.topology, queue, options.events);
      await channel.prefetch(options.prefetch ?? 32);
      const { consumerTag } = await channel.consume(
        queue,
        (msg) => msg && void this.inFlight.track(() => this.onMessage(channel, queue, msg, options)),
        { noAck: false },
      );
      const subscription = { channel, consumerTag };
      this.subscriptions.add(subscription);
      channel.on('close', () => this.subscriptions.delete(subscription));
    });
  }

  /** Stops consuming and waits (bounded) for in-flight handlers, so nothing is acked half-done. */
  async close(timeoutMs = 10000): Promise<void> {
    this.closed = true;
    const subscriptions = [...this.subscriptions];
    this.subscriptions.clear();
    await closeGracefully(subscriptions, this.inFlight, timeoutMs);
  }

  private async onMessage<N extends keyof EventPayloads>(
    channel: Channel,
    queue: string,
    msg: ConsumeMessage,
    options: SubscriptionOptions<N>,
  ): Promise<void> {
    const attempt = attemptOf(msg);
    const requestId = msg.properties.headers?.[RequestContext.HEADER] as string | undefined;
    await RequestContext.run(requestId, async () => {
      try {
        const { payload, meta } = parseEvent<N>(msg, attempt, options.validate);
        await this.uow.run(async () => {
          if (!(await this.processed.markProcessed(options.consumer, meta.eventId))) return;
          await options.handle(payload, meta);
        });
        channel.ack(msg);
      } catch (err) {
        await settleFailedDelivery(
          { amqp: this.amqp, logger: this.logger },
          channel,
          queue,
          msg,
          attempt,
          err,
          options.maxAttempts ?? 5,
        );
      }
    });
  }
}
