import type { Logger } from '@lib/observability';
import type { AmqpConnection } from '../amqp-connection';
import type { Topology } from '../topology';

export interface BroadcastHandlers {
  /** One event, already parsed from JSON; a throw is logged and the message dropped. */
  onEvent: (name: string, payload: unknown) => void;
  /**
   * Called each time the subscription is (re)established: events published while this process
   * was not subscribed were never queued for it, so the caller re-reads its full state here.
   */
  onSubscribed?: () => void;
}

/**
 * Every replica of every app hears `events` (unlike an EventConsumer's queue, whose deliveries
 * are shared among an app's replicas): each process binds its own exclusive, auto-deleted,
 * server-named queue, again on every reconnect. Deliveries are not acked one by one (noAck) and
 * are lost while the process is disconnected; that is why `onSubscribed` exists. Use it for
 * state that every process caches (token revocations), never for work that must happen once.
 */
export async function subscribeBroadcast(
  amqp: AmqpConnection,
  topology: Topology,
  logger: Logger,
  events: readonly string[],
  handlers: BroadcastHandlers,
): Promise<void> {
  await amqp.addSetup(async (connection) => {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
    // Classic on purpose, whatever the topology's queue type: exclusive queues can't be quorum.
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    for (const name of events) await channel.bindQueue(queue, topology.eventsExchange, name);
    await channel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        try {
          handlers.onEvent(msg.fields.routingKey, JSON.parse(msg.content.toString('utf8')));
        } catch (err) {
          logger.warn(
            { event: msg.fields.routingKey, err: (err as Error).message },
            'broadcast event dropped',
          );
        }
      },
      { noAck: true },
    );
    handlers.onSubscribed?.();
  });
}
