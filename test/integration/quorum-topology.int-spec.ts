import { connect, type Options } from 'amqplib';
import { TestIsolation } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { GENERATION_CONSUMER } from '../../apps/coupon-worker/src/generation/run-generation/run-generation.consumer';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { DISPATCH_CONSUMER } from '../../apps/webhook-dispatcher/src/webhooks/dispatch-events/dispatch-events.consumer';
import { PlatformStack, startPlatformStack } from '../support/stack';

interface Declaration {
  queue: string;
  options: Options.AssertQueue;
  /** 'accepted', or the broker's refusal. */
  outcome: Promise<string>;
}

/**
 * RABBITMQ_QUEUE_TYPE=quorum, every app at once: each queue declaration the apps make is recorded
 * as it goes to the broker. Every durable queue (RPC requests, event consumers, their dead-letter
 * queues) must be a quorum queue, the only others being the exclusive per-process ones (broadcast
 * subscriptions) that quorum queues can't be, and the broker must accept every declaration.
 */
describe('RABBITMQ_QUEUE_TYPE=quorum: the whole topology of every app', () => {
  const iso = new TestIsolation('quorum-topology');
  const declarations: Declaration[] = [];
  let stack: PlatformStack;

  beforeAll(async () => {
    const proto = await channelPrototype(iso.infra.rabbitUrl);
    const assertQueue = proto.assertQueue;
    jest.spyOn(proto, 'assertQueue').mockImplementation(function (this: unknown, queue, options = {}) {
      const declared = assertQueue.call(this, queue, options);
      const outcome = declared.then(
        () => 'accepted' as const,
        (err: Error) => err.message,
      );
      declarations.push({ queue, options, outcome });
      return declared;
    });
    const quorum = { rabbitQueueType: 'quorum' } as const;
    stack = await startPlatformStack(iso, {
      services: ['loyalty', 'promotion', 'coupon-worker', 'webhook-dispatcher'],
      config: { loyalty: quorum, promotion: quorum, 'coupon-worker': quorum, 'webhook-dispatcher': quorum },
      auth: quorum,
      gateway: quorum,
    });
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await stack?.close();
    await iso.cleanup();
  });

  it('has the broker accept every queue declaration', async () => {
    const outcomes = await Promise.all(declarations.map(async (d) => `${d.queue}: ${await d.outcome}`));
    expect(outcomes.filter((o) => !o.endsWith(': accepted'))).toEqual([]);
  });

  it('declares every durable queue as a quorum queue, RPC, consumer and dead-letter queues alike', async () => {
    const durable = declarations.filter((d) => d.options.durable !== false && !d.options.exclusive);
    const names = [...new Set(durable.map((d) => d.queue))].sort();
    const consumers = [
      AUDIT_CONSUMER,
      NOTIFICATIONS_CONSUMER,
      GENERATION_CONSUMER,
      FIRST_LOGIN_CONSUMER,
      DISPATCH_CONSUMER,
    ];
    const expected = [
      ...['auth', 'loyalty', 'promotion', 'webhooks'].map((s) => `rpc.${s}`),
      ...consumers.flatMap((c) => [c, `${c}.dlq`]),
    ].map((n) => `${iso.namePrefix}${n}`);
    expect(names).toEqual(expect.arrayContaining(expected.sort()));

    for (const d of durable) expect(d.options.arguments).toMatchObject({ 'x-queue-type': 'quorum' });
    for (const name of names) {
      const { arguments: args } = durable.find((d) => d.queue === name)!.options;
      expect({ name, type: await queueTypeOf(iso.infra.rabbitUrl, name, args ?? {}) }).toEqual({
        name,
        type: 'quorum',
      });
    }
  });

  it('keeps only exclusive, non-durable, server-named queues classic', () => {
    const others = declarations.filter((d) => d.options.durable === false || d.options.exclusive);
    expect(others.length).toBeGreaterThan(0); // the broadcast subscriptions of gateway, auth, loyalty…
    for (const d of others) {
      expect(d.queue).toBe('');
      expect(d.options).toMatchObject({ exclusive: true, durable: false });
      expect(d.options.arguments?.['x-queue-type']).toBeUndefined();
    }
  });
});

type AssertQueue = (queue: string, options?: Options.AssertQueue) => Promise<unknown>;

/** amqplib's Channel class (confirm channels inherit from it), which it does not export by name. */
async function channelPrototype(url: string): Promise<{ assertQueue: AssertQueue }> {
  const conn = await connect(url);
  try {
    return Object.getPrototypeOf(await conn.createChannel()) as { assertQueue: AssertQueue };
  } finally {
    await conn.close();
  }
}

/**
 * Declaring an existing queue again as classic, with its other arguments unchanged, fails naming
 * x-queue-type when it is a quorum queue.
 */
async function queueTypeOf(url: string, queue: string, args: Record<string, unknown>): Promise<string> {
  const conn = await connect(url);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    const failure = await ch
      .assertQueue(queue, { durable: true, arguments: { ...args, 'x-queue-type': 'classic' } })
      .then(() => undefined)
      .catch((err: Error) => err.message);
    if (failure === undefined) return 'classic';
    return /x-queue-type/.test(failure) ? 'quorum' : `unknown (${failure})`;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
