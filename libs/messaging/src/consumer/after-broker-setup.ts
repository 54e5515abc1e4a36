import type { AmqpConnection } from '../amqp-connection';
import type { Logger } from '@lib/observability';

/**
 * Starts background consumers only once the broker connection's own setup has run, the RPC
 * queue among it: a starting replica answers logins and other RPCs first, and a consumer is
 * never registered in the middle of a (re)connection's setup pass. Re-run on every reconnect
 * like any setup.
 */
export async function afterBrokerSetup(
  amqp: AmqpConnection,
  logger: Logger,
  what: string,
  subscribe: () => Promise<void>,
): Promise<void> {
  const run = () =>
    subscribe().catch((err: unknown) =>
      logger.error({ consumer: what, err: (err as Error).message }, 'consumer could not subscribe'),
    );
  if (amqp.isConnected()) await run();
  else amqp.once('connected', () => void run());
}
