import type { Channel, ConsumeMessage } from 'amqplib';
import type { EventPayloads } from '@lib/contracts';
import { RequestContext, endSpan, runInSpan } from '@lib/observability';
import { startConsumeSpan } from './consume-span';
import { EventMeta, PoisonMessage, attemptOf, parseEvent } from './delivery';
import { QueueConsumer } from './queue-consumer';
import type { ProcessedEvents } from './processed-events';

export { PoisonMessage } from './delivery';
export type { EventMeta } from './delivery';

export interface SubscriptionOptions<N extends keyof EventPayloads> {
  /** Names the durable queue and the dedupe scope, e.g. `promotion.first-login-vouchers`. */
  consumer: string;
  events: N[];
  /** Runs inside the unit of work that also records the event id; throw to retry. */
  handle: (payload: EventPayloads[N], meta: EventMeta) => Promise<void>;
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
export class EventConsumer extends QueueConsumer<ProcessedEvents> {
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
    const traced = startConsumeSpan(options.consumer, queue, msg);
    const handleOne = async () => {
      try {
        const { payload, meta } = parseEvent<N>(msg, attempt);
        await this.uow.run(async () => {
          if (!(await this.processed.markProcessed(options.consumer, meta.eventId))) return;
          await options.handle(payload, meta);
        });
        channel.ack(msg);
        this.countHandled(queue);
        endSpan(traced?.span);
      } catch (err) {
        endSpan(traced?.span, err instanceof PoisonMessage ? 'POISON' : 'FAILED');
        await this.settleFailed(channel, queue, { msg, attempt, maxAttempts: options.maxAttempts }, err);
      }
    };
    await RequestContext.run(
      requestId,
      traced ? () => runInSpan(traced.span, handleOne, traced.parent) : handleOne,
    );
  }
}
