import { AmqpConnection, EventPublisher, Topology, subscribeBroadcast } from '@lib/messaging';
import { BrokerProxy, TestIsolation, testLogger, waitFor } from '@lib/testing';

/**
 * Token revocations reach every replica of every app through a broadcast subscription: each
 * process has its own queue, and after a broker outage it is told to re-read what it missed.
 */
describe('broadcast subscriptions (real broker)', () => {
  const iso = new TestIsolation('broadcast');
  const topology = new Topology(iso.namePrefix, 'quorum');
  const logger = testLogger();
  const proxy = BrokerProxy.forUrl(iso.infra.rabbitUrl);
  const connections: AmqpConnection[] = [];
  let publisher: EventPublisher;

  const connection = (name: string, url = iso.infra.rabbitUrl) => {
    const amqp = new AmqpConnection({ url, name, logger, minBackoffMs: 50, maxBackoffMs: 200 });
    connections.push(amqp);
    amqp.start();
    return amqp;
  };
  const publish = (principalId: string) =>
    publisher.publishAll([
      {
        eventId: `e-${principalId}`,
        name: 'auth.principal.revoked',
        payload: { eventId: `e-${principalId}`, occurredAt: new Date().toISOString(), principalId },
      },
    ]);

  beforeAll(async () => {
    await proxy.start();
    const amqp = connection('publisher');
    await amqp.waitUntilConnected();
    publisher = new EventPublisher(amqp, topology);
    await publisher.init();
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await proxy.stop();
    await iso.cleanup();
  });

  it('delivers each event to every subscribed process, not to one of them, on a quorum topology', async () => {
    const heard: Record<string, string[]> = { a: [], b: [] };
    for (const replica of ['a', 'b'] as const) {
      const amqp = connection(`replica-${replica}`);
      await amqp.waitUntilConnected();
      await subscribeBroadcast(amqp, topology, logger, ['auth.principal.revoked'], {
        onEvent: (name, payload) =>
          heard[replica].push(`${name}:${(payload as { principalId: string }).principalId}`),
      });
    }
    await publish('u-1');
    await publish('u-2');
    await waitFor('both replicas to hear both events', () => heard.a.length === 2 && heard.b.length === 2);
    expect(heard.a).toEqual(['auth.principal.revoked:u-1', 'auth.principal.revoked:u-2']);
    expect(heard.b).toEqual(heard.a);
  });

  it('subscribes again after a broker outage and says so, so the process re-reads what it missed', async () => {
    const heard: string[] = [];
    let subscriptions = 0;
    const amqp = connection('behind-proxy', proxy.urlFor(iso.infra.rabbitUrl));
    await amqp.waitUntilConnected();
    await subscribeBroadcast(amqp, topology, logger, ['auth.principal.revoked'], {
      onEvent: (_name, payload) => heard.push((payload as { principalId: string }).principalId),
      onSubscribed: () => subscriptions++,
    });
    expect(subscriptions).toBe(1);
    await proxy.cut();
    await publish('missed-while-away');
    await proxy.restore();
    await waitFor('the subscription to come back', () => subscriptions === 2, 10_000);
    await publish('after-return');
    await waitFor('the event after the return', () => heard.includes('after-return'));
    expect(heard).toEqual(['after-return']);
  });
});
