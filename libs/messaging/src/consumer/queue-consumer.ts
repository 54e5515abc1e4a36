import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger, Metrics } from '@lib/observability';
import type { UnitOfWork } from '@lib/persistence';
import type { AmqpConnection } from '../amqp-connection';
import { InFlight, Subscription, closeGracefully } from '../in-flight';
import type { Topology } from '../topology';
import { afterBrokerSetup } from './after-broker-setup';
import { declareConsumerQueue, settleFailedDelivery } from './delivery';

/** What a consumer does with one channel's deliveries; `onClose` clears per-channel state. */
export interface ChannelHandlers {
  onMessage: (msg: ConsumeMessage) => void;
  onClose?: () => void;
}

/**
 * What EventConsumer and BatchEventConsumer share, written once: a consumer starts after the
 * broker connection's own setup has run (the RPC queue first), on its durable queue with its
 * dead-letter queue, with manual acks and bounded prefetch, again on every reconnect (never after
 * close), and closes gracefully (deliveries stopped, in-flight work finished and acked).
 */
export abstract class QueueConsumer<Processed> {
  private readonly subscriptions = new Set<Subscription>();
  protected readonly inFlight = new InFlight();
  private closed = false;

  constructor(
    protected readonly amqp: AmqpConnection,
    protected readonly topology: Topology,
    protected readonly uow: UnitOfWork,
    /** Where the consumer records the event ids it has handled (inside each handler's transaction). */
    protected readonly processed: Processed,
    protected readonly logger: Logger,
    /** The app's metrics: what the consumer settles is counted (see settleFailedDelivery). */
    protected readonly metrics: Metrics,
  ) {}

  /** Consumes `consumer`'s queue, bound to `events`; `open` is called once per (re)opened channel. */
  protected async consume(
    subscription: { consumer: string; events: readonly string[]; prefetch: number },
    open: (channel: Channel, queue: string) => ChannelHandlers,
  ): Promise<void> {
    const queue = this.topology.consumerQueue(subscription.consumer);
    await afterBrokerSetup(this.amqp, this.logger, subscription.consumer, () =>
      this.amqp.addSetup(async (connection) => {
        if (this.closed) return; // a reconnect after close() must not start consuming again
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        await declareConsumerQueue(channel, this.topology, queue, subscription.events);
        await channel.prefetch(subscription.prefetch);
        const handlers = open(channel, queue);
        const { consumerTag } = await channel.consume(queue, (msg) => msg && handlers.onMessage(msg), {
          noAck: false,
        });
        const current = { channel, consumerTag };
        this.subscriptions.add(current);
        channel.on('close', () => {
          this.subscriptions.delete(current);
          handlers.onClose?.();
        });
      }),
    );
  }

  /** Settles a delivery whose handling failed: retried with backoff, or dead-lettered (see settleFailedDelivery). */
  protected settleFailed(
    channel: Channel,
    queue: string,
    delivery: { msg: ConsumeMessage; attempt: number; maxAttempts?: number },
    err: unknown,
  ): Promise<void> {
    const { msg, attempt, maxAttempts = 5 } = delivery;
    return settleFailedDelivery(
      { amqp: this.amqp, logger: this.logger, metrics: this.metrics },
      channel,
      queue,
      msg,
      attempt,
      err,
      maxAttempts,
    );
  }

  /** Counts deliveries acked after their handling committed (or that needed none). */
  protected countHandled(queue: string, deliveries = 1): void {
    this.metrics.eventsHandled.inc({ queue, outcome: 'handled' }, deliveries);
  }

  /** Stops consuming and waits (bounded) for the work in progress, so nothing is acked half-done. */
  async close(timeoutMs = 10000): Promise<void> {
    this.closed = true;
    const subscriptions = [...this.subscriptions];
    this.subscriptions.clear();
    await closeGracefully(subscriptions, this.inFlight, timeoutMs);
  }
}
