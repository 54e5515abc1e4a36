import pino from 'pino';
import { BrokerProxy, TestIsolation, disposableBroker, freePort, testLogger, waitFor } from '@lib/testing';
import { AmqpConnection } from './amqp-connection';

/**
 * RABBITMQ_URL as a list, one URL per node of a cluster: the connection goes to a node that
 * answers, and moves to another one when its node goes away.
 */
describe('AmqpConnection with several broker URLs (real broker)', () => {
  const iso = new TestIsolation('amqp-urls');
  const shared = iso.infra.rabbitUrl;
  const hidden = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
  const connections: AmqpConnection[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  const connection = (url: string, options: { firstUrlIndex?: number; logLines?: string[] } = {}) => {
    const logger = options.logLines
      ? pino({ level: 'debug' }, { write: (line: string) => options.logLines!.push(line) })
      : testLogger();
    const amqp = new AmqpConnection({
      url,
      name: `${iso.namePrefix}conn`,
      logger,
      minBackoffMs: 50,
      maxBackoffMs: 200,
      firstUrlIndex: options.firstUrlIndex,
    });
    connections.push(amqp);
    return amqp;
  };
  const closedPortUrl = async () => `amqp://guest:secret-pw@127.0.0.1:${await freePort()}`;

  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.close()));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => iso.cleanup());

  it('connects through the next URL when the first one refuses, and logs no password', async () => {
    const refused = await closedPortUrl();
    const logLines: string[] = [];
    const amqp = connection(`${refused}, ${shared}`, { firstUrlIndex: 0, logLines });
    amqp.start();
    await amqp.waitUntilConnected();

    expect(amqp.connectedBroker()).toBe(hidden(shared));
    const warning = logLines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'RabbitMQ unreachable, retrying');
    expect(warning).toMatchObject({ broker: hidden(refused), retryInMs: 0 }); // the next node at once
    expect(logLines.join('\n')).not.toContain('secret-pw');
  });

  it('names every URL, without credentials, when no node answers', async () => {
    const [a, b] = [await closedPortUrl(), await closedPortUrl()];
    const amqp = connection(`${a},${b}`);
    amqp.start();

    const attempt = amqp.waitUntilConnected(300);
    await expect(attempt).rejects.toThrow(`RabbitMQ not reachable at ${hidden(a)}, ${hidden(b)} after 300ms`);
    await expect(attempt).rejects.not.toThrow(/secret-pw/);
    expect(amqp.isConnected()).toBe(false);
  });

  it('starts at a random node, so that replicas spread over the cluster', async () => {
    const proxy = BrokerProxy.forUrl(shared); // a second way to the same broker: a second "node"
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const urls = `${shared},${proxy.urlFor(shared)}`;

    const random = jest.spyOn(Math, 'random');
    random.mockReturnValueOnce(0.1);
    const first = connection(urls);
    random.mockReturnValueOnce(0.9);
    const second = connection(urls);
    random.mockRestore();
    first.start();
    second.start();
    await Promise.all([first.waitUntilConnected(), second.waitUntilConnected()]);

    expect(first.connectedBroker()).toBe(hidden(shared));
    expect(second.connectedBroker()).toBe(hidden(proxy.urlFor(shared)));
  });

  it('moves to another node when its node goes away, and runs its setups there', async () => {
    const broker = await disposableBroker(shared);
    cleanups.push(() => broker.dispose());
    const amqp = connection(`${broker.url},${shared}`, { firstUrlIndex: 0 });
    const setupRuns: string[] = [];
    await amqp.addSetup(async () => {
      setupRuns.push(amqp.connectedBroker() ?? 'connecting');
    });
    amqp.start();
    await amqp.waitUntilConnected();
    expect(amqp.connectedBroker()).toBe(hidden(broker.url));

    await broker.stop();
    await waitFor(
      'the connection to move to the other node',
      () => amqp.connectedBroker() === hidden(shared),
    );

    expect(setupRuns).toHaveLength(2); // once per connection: topology and consumers are redeclared
    const channel = await amqp.createChannel(); // and it is usable
    await channel.close();
  });
});
