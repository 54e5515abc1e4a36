import type { Channel, ConsumeMessage } from 'amqplib';
import type { EventPayloads } from '@lib/contracts';
import { RequestContext, endSpan, runInSpan } from '@lib/observability';
import type { BatchProcessedEvents } from './batch-processed-events';
import { startBatchSpan, startConsumeSpan } from './consume-span';
import { EventMeta, attemptOf, parseEvent } from './delivery';
import { QueueConsumer } from './queue-consumer';

export interface BatchItem<N extends keyof EventPayloads> {
  payload: EventPayloads[N];
  meta: EventMeta;
}

export interface BatchSubscriptionOptions<N extends keyof EventPayloads> {
  /** Names the durable queue and the dedupe scope, e.g. `promotion.first-login-vouchers`. */
  consumer: string;
  events: N[];
  /**
   * Runs inside the unit of work that also records the items' event ids: it all commits or none
   * of it. Items were never processed before and are one per eventId, in delivery order. Throw
   * to retry (the batch is then retried one event at a time).
   */
  handle: (items: BatchItem<N>[]) => Promise<void>;
  /** Events that need no effect at all: acked without a transaction or a processed record. */
  skip?: (payload: EventPayloads[N], name: N) => boolean;
  /** Most events committed in one transaction (default 100). */
  batchSize?: number;
  /** Unacknowledged messages held (default 2 × batchSize: the next batch fills while one commits). */
  prefetch?: number;
  /** Tries before a failing message is dead-lettered (default 5). */
  maxAttempts?: number;
}

interface Parsed<N extends keyof EventPayloads> {
  msg: ConsumeMessage;
  item: BatchItem<N>;
}

/**
 * EventConsumer's guarantees, at a batch per transaction. Messages are taken as they arrive (up
 * to the prefetch), and whatever has arrived when the previous batch is done (up to batchSize)
 * becomes the next batch: under load batches fill, when idle each event goes alone, at once.
 * - One transaction records the batch's new event ids (duplicates inside the batch and events
 *   processed before are skipped) and runs the handler; only after it commits are the messages
 *   acked. A crash before means redelivery, which the records then skip.
 * - If the batch fails, its events are retried one by one, each in its own transaction, with
 *   EventConsumer's retry, backoff and dead-letter rules, so one bad event cannot hold up the rest.
 * - A poison message (not JSON, no eventId, breaks its event class) goes to the dead-letter queue at once.
 * Batches of one channel run one after another, never concurrently.
 */
export class BatchEventConsumer extends QueueConsumer<BatchProcessedEvents> {
  /** Starts consuming (see QueueConsumer): messages that arrive together are handled as one batch. */
  async subscribe<N extends keyof EventPayloads>(options: BatchSubscriptionOptions<N>): Promise<void> {
    const batchSize = options.batchSize ?? 100;
    const prefetch = options.prefetch ?? batchSize * 2;
    await this.consume({ ...options, prefetch }, (channel, queue) => {
      // Per channel: a reconnect starts afresh (unacked messages of the old channel come again).
      const pending: ConsumeMessage[] = [];
      let running = false;
      const drain = async () => {
        running = true;
        try {
          while (pending.length) {
            const batch = pending.splice(0, batchSize);
            await this.inFlight
              .track(() => this.onBatch(channel, queue, batch, options))
              .catch((err: Error) =>
                // onBatch settles every message itself; should it still throw, its messages stay
                // unacked and come again when the channel reconnects.
                this.logger.error({ queue, err: err.message }, 'event batch crashed'),
              );
          }
        } finally {
          running = false;
        }
      };
      return {
        onMessage: (msg) => {
          pending.push(msg);
          // setImmediate: messages that arrived in the same read join the same batch.
          if (!running) {
            running = true;
            setImmediate(() => void drain());
          }
        },
        onClose: () => {
          pending.length = 0;
        },
      };
    });
  }

  private async onBatch<N extends keyof EventPayloads>(
    channel: Channel,
    queue: string,
    batch: ConsumeMessage[],
    options: BatchSubscriptionOptions<N>,
  ): Promise<void> {
    const parsed: Parsed<N>[] = [];
    for (const msg of batch) {
      const attempt = attemptOf(msg);
      try {
        const item = parseEvent<N>(msg, attempt);
        if (options.skip?.(item.payload, item.meta.name as N)) {
          ack(channel, msg);
          this.countHandled(queue);
        } else parsed.push({ msg, item });
      } catch (err) {
        await this.settleFailed(channel, queue, { msg, attempt, maxAttempts: options.maxAttempts }, err);
      }
    }
    if (!parsed.length) return;
    if (parsed.length > 1) {
      const span = startBatchSpan(
        options.consumer,
        queue,
        parsed.map((p) => p.msg),
      );
      try {
        await runInSpan(span, () => this.commit(parsed, options));
        endSpan(span);
        // One frame for the batch: every earlier delivery of this channel is settled already
        // (batches run in order, and this one's poison and skipped messages were settled above).
        ack(channel, parsed[parsed.length - 1].msg, true);
        this.countHandled(queue, parsed.length);
        return;
      } catch (err) {
        endSpan(span, 'FAILED');
        this.logger.warn(
          { queue, size: parsed.length, reason: (err as Error).message },
          'event batch failed, retrying its events one by one',
        );
      }
    }
    for (const one of parsed) {
      const requestId = one.msg.properties.headers?.[RequestContext.HEADER] as string | undefined;
      const traced = startConsumeSpan(options.consumer, queue, one.msg);
      const handleOne = async () => {
        try {
          await this.commit([one], options);
          ack(channel, one.msg);
          this.countHandled(queue);
          endSpan(traced?.span);
        } catch (err) {
          endSpan(traced?.span, 'FAILED');
          await this.settleFailed(
            channel,
            queue,
            { msg: one.msg, attempt: one.item.meta.attempt, maxAttempts: options.maxAttempts },
            err,
          );
        }
      };
      await RequestContext.run(
        requestId,
        traced ? () => runInSpan(traced.span, handleOne, traced.parent) : handleOne,
      );
    }
  }

  private async commit<N extends keyof EventPayloads>(
    parsed: Parsed<N>[],
    options: BatchSubscriptionOptions<N>,
  ): Promise<void> {
    const unique = new Map<string, BatchItem<N>>();
    for (const { item } of parsed) if (!unique.has(item.meta.eventId)) unique.set(item.meta.eventId, item);
    await this.uow.run(async () => {
      const fresh = await this.processed.markProcessed(options.consumer, [...unique.keys()]);
      const items = [...unique.values()].filter((i) => fresh.has(i.meta.eventId));
      if (items.length) await options.handle(items);
    });
  }
}

/** After a broker restart the old channel is gone: its messages come again and are skipped then. */
function ack(channel: Channel, msg: ConsumeMessage, allUpTo = false): void {
  try {
    channel.ack(msg, allUpTo);
  } catch {
    // redelivered later; the processed record makes that a no-op
  }
}
