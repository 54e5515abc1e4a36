import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'amqplib';
import { EVENTS, RPC, type UserLoggedInV1 } from '@lib/contracts';
import { AmqpConnection, EventConsumer, RpcClient, Topology } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import { TestIsolation, waitFor } from '@lib/testing';
import { AuthModule } from '../../apps/auth/src/auth.module';
import { LogInHandler } from '../../apps/auth/src/sessions/log-in/log-in.handler';
import { testAuthSettings } from '../support/auth/test-auth-settings';
import { RegisterUserHandler } from '../../apps/auth/src/users/register-user/register-user.handler';

/**
 * Declaring an existing queue as classic, with its other arguments unchanged, fails naming
 * x-queue-type when the queue is a quorum queue: that is how a test can tell its type.
 */
async function queueTypeOf(
  rabbitUrl: string,
  queue: string,
  args: Record<string, unknown> = {},
): Promise<'quorum' | 'classic'> {
  const conn = await connect(rabbitUrl);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    const failure = await ch
      .assertQueue(queue, { durable: true, arguments: { ...args, 'x-queue-type': 'classic' } })
      .then(() => undefined)
      .catch((err: Error) => err.message);
    if (failure === undefined) return 'classic';
    if (/x-queue-type/.test(failure)) return 'quorum';
    throw new Error(`cannot tell the type of ${queue}: ${failure}`);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

describe('RABBITMQ_QUEUE_TYPE=quorum: RPC, events, retries and dead letters on quorum queues', () => {
  const iso = new TestIsolation('quorum');
  const topology = new Topology(iso.namePrefix, 'quorum');
  let app: NestFastifyApplication;
  const handled: UserLoggedInV1[] = [];

  beforeAll(async () => {
    app = await createApp(
      AuthModule.register(iso.config('auth', { rabbitQueueType: 'quorum' }), testAuthSettings()),
      {
        rpcService: 'auth',
      },
    );
    await app.init();
    await app.startAllMicroservices();
    await app.get(AmqpConnection).waitUntilConnected();
    iso.queue('quorum-observer');
    await app.get(EventConsumer).subscribe({
      consumer: 'quorum-observer',
      events: [EVENTS.userLoggedIn],
      maxAttempts: 2,
      handle: async (payload) => {
        handled.push(payload);
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await iso.cleanup();
  });

  it('declares the RPC queue as a quorum queue and serves RPC (with per-request deadlines) from it', async () => {
    await expect(app.get(RpcClient).send('auth', RPC.auth.ping, {})).resolves.toMatchObject({
      service: 'auth',
    });
    expect(await queueTypeOf(iso.infra.rabbitUrl, topology.rpcQueue('auth'))).toBe('quorum');
  });

  it('delivers events to a quorum consumer queue, once', async () => {
    const { userId } = await app.get(RegisterUserHandler).execute({
      username: 'quorum.user',
      password: 'correct-horse-battery',
      email: 'quorum@example.com',
    });
    await app.get(LogInHandler).execute({ username: 'quorum.user', password: 'correct-horse-battery' });
    await waitFor('the login event', () => handled.some((e) => e.userId === userId));
    expect(handled.filter((e) => e.userId === userId)).toHaveLength(1);
    const queue = topology.consumerQueue('quorum-observer');
    const deadLettering = {
      'x-dead-letter-exchange': topology.deadLetterExchange,
      'x-dead-letter-routing-key': queue,
    };
    expect(await queueTypeOf(iso.infra.rabbitUrl, queue, deadLettering)).toBe('quorum');
    expect(await queueTypeOf(iso.infra.rabbitUrl, topology.deadLetterQueue(queue))).toBe('quorum');
  });

  it('dead-letters a poison message into the quorum dead-letter queue', async () => {
    const conn = await connect(iso.infra.rabbitUrl);
    try {
      const ch = await conn.createConfirmChannel();
      ch.publish(topology.eventsExchange, EVENTS.userLoggedIn, Buffer.from('{"eventId":"poison-1"}'), {
        persistent: true,
        messageId: 'poison-1',
      });
      await ch.waitForConfirms();
      const dlq = topology.deadLetterQueue(topology.consumerQueue('quorum-observer'));
      const dead = await waitFor(
        'the poison message in the DLQ',
        async () => (await ch.get(dlq, { noAck: true })) || undefined,
      );
      expect(dead.properties.messageId).toBe('poison-1');
    } finally {
      await conn.close();
    }
  });
});
