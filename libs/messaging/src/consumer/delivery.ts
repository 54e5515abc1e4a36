import type { Channel, ConsumeMessage } from 'amqplib';
import { EVENT_PAYLOADS, type EventPayloads, validateDto } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import type { Logger, Metrics } from '@lib/observability';
import { UniqueViolation } from '@lib/persistence';
import type { AmqpConnection } from '../amqp-connection';
import type { Topology } from '../topology';

/** How a consumer's queue is declared, and how one delivery is read and, when handling it failed, settled. */
export interface EventMeta {
  eventId: string;
  name: string;
  attempt: number;
  redelivered: boolean;
}

/** A message that can never succeed (not JSON, no eventId, fails validation): dead-letter it now. */
export class PoisonMessage extends Error {}

const ATTEMPT_HEADER = 'x-attempt';

/**
 * A consumer's durable queue, bound to its events, dead-lettering into `<queue>.dlq` (declared
 * too), with the topology's queue type.
 */
export async function declareConsumerQueue(
  channel: Channel,
  topology: Topology,
  queue: string,
  events: readonly string[],
): Promise<void> {
  const { eventsExchange, deadLetterExchange } = topology;
  const dlq = topology.deadLetterQueue(queue);
  await channel.assertExchange(eventsExchange, 'topic', { durable: true });
  await channel.assertExchange(deadLetterExchange, 'direct', { durable: true });
  await channel.assertQueue(dlq, { durable: true, arguments: topology.queueArguments() });
  await channel.bindQueue(dlq, deadLetterExchange, queue);
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      ...topology.queueArguments(),
      'x-dead-letter-exchange': deadLetterExchange,
      'x-dead-letter-routing-key': queue,
    },
  });
  for (const name of events) await channel.bindQueue(queue, eventsExchange, name);
}

export function attemptOf(msg: ConsumeMessage): number {
  return Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
}

/**
 * The payload and meta of a delivery, or PoisonMessage: the payload must match its event's
 * contracts class (EVENT_PAYLOADS).
 */
export function parseEvent<N extends keyof EventPayloads>(
  msg: ConsumeMessage,
  attempt: number,
): { payload: EventPayloads[N]; meta: EventMeta } {
  let payload: unknown;
  try {
    payload = JSON.parse(msg.content.toString('utf8'));
  } catch {
    throw new PoisonMessage('body is not JSON');
  }
  const name = (msg.properties.type ?? msg.fields.routingKey) as N; // a retry travels by queue name
  const eventId = (payload as { eventId?: unknown } | null)?.eventId;
  if (typeof eventId !== 'string' || eventId.length === 0 || eventId.length > 200)
    throw new PoisonMessage('eventId missing or invalid');
  const dto = (EVENT_PAYLOADS as Partial<Record<string, new () => object>>)[name];
  if (dto) {
    try {
      payload = validateDto(dto, payload, { tolerant: true });
    } catch (err) {
      if (err instanceof DomainError) throw new PoisonMessage(`${name} payload is invalid: ${err.message}`);
      throw err;
    }
  }
  const meta: EventMeta = { eventId, name, attempt, redelivered: msg.fields.redelivered };
  return { payload: payload as EventPayloads[N], meta };
}

/**
 * Settles a delivery whose handling failed: a duplicate that lost the race is acked; a poison
 * message, or one out of attempts, goes to the queue's DLQ; anything else is republished with the
 * next attempt number after a backoff, through the confirm channel and before the original is
 * acked, so it is never lost. Counted in `events_handled_total{queue,outcome}` (handled, retried,
 * dead_lettered) and `events_dead_lettered_total{queue}`.
 */
export async function settleFailedDelivery(
  deps: { amqp: AmqpConnection; logger: Logger; metrics: Metrics },
  channel: Channel,
  queue: string,
  msg: ConsumeMessage,
  attempt: number,
  err: unknown,
  maxAttempts: number,
): Promise<void> {
  try {
    if (err instanceof UniqueViolation && err.collection === 'processed_events') {
      channel.ack(msg); // a concurrent delivery of the same event won the race
      deps.metrics.eventsHandled.inc({ queue, outcome: 'handled' });
      return;
    }
    if (err instanceof PoisonMessage || attempt >= maxAttempts) {
      deps.logger.error(
        { queue, attempt, reason: (err as Error).message, messageId: msg.properties.messageId },
        'event dead-lettered',
      );
      channel.nack(msg, false, false);
      deps.metrics.eventsDeadLettered.inc({ queue });
      deps.metrics.eventsHandled.inc({ queue, outcome: 'dead_lettered' });
      return;
    }
    const delay = Math.min(5000, 100 * 2 ** (attempt - 1));
    deps.logger.warn(
      { queue, attempt, retryInMs: delay, reason: (err as Error).message },
      'event handler failed',
    );
    await new Promise((r) => setTimeout(r, delay));
    const confirm = deps.amqp.publishChannel();
    await new Promise<void>((resolve, reject) =>
      confirm.sendToQueue(
        queue,
        msg.content,
        {
          ...msg.properties,
          persistent: true,
          headers: { ...msg.properties.headers, [ATTEMPT_HEADER]: attempt + 1 },
        },
        (e: unknown) => (e ? reject(new Error('retry not confirmed')) : resolve()),
      ),
    );
    channel.ack(msg);
    deps.metrics.eventsHandled.inc({ queue, outcome: 'retried' });
  } catch {
    // Channel or broker gone: the unacked message is redelivered when we reconnect.
  }
}
