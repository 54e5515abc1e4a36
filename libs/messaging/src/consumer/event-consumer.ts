import type { Channel, ConsumeMessage } from 'amqplib';
import type { EventPayloads } from '@lib/contracts';
import { Logger, RequestContext } from '@lib/observability';
import { UnitOfWork } from '@lib/persistence';
import { AmqpConnection } from '../amqp-connection';
import { Topology } from '../topology';
import { EventMeta, attemptOf, parseEvent, settleFailedDelivery } from './delivery';
import { QueueConsumer } from './queue-consumer';
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
export class EventConsumer extends QueueConsumer {
  constructor(
    amqp: AmqpConnection,
    topology: Topology,
    uow: UnitOfWork,
    private readonly processed: ProcessedEvents,
    logger: Logger,
  ) {
    super(amqp, topology, uow, logger);
  }

  /** Starts consuming (see QueueConsumer): each message is handled as it comes, up to `prefetch` at once. */
  async subscribe<N extends keyof EventPayloads>(options: SubscriptionOptions<N>): Promise<void> {
    await this.consume({ ...options, prefetch: options.prefetch ?? 32 }, (channel, queue) => ({
      onMessage: (msg) => void this.inFlight.track(() => this.onMessage(channel, queue, msg, options)),
    }));
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
