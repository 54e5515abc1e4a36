import { randomUUID } from 'node:crypto';
import { connect, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Connection, Model } from 'mongoose';
import { EVENTS } from '@lib/contracts';
import { Metrics, RequestContext } from '@lib/observability';
import { MongoUnitOfWork, SchemaSetup, openMongoConnection } from '@lib/persistence';
import { TestIsolation, disposableBroker, testLogger, waitFor } from '@lib/testing';
import { AmqpConnection } from '../amqp-connection';
import { EventPublisher } from '../event-publisher';
import { Topology } from '../topology';
import { MongoOutbox, OutboxRecord, outboxModel } from './mongo-outbox';
import { metricValue } from '../../../observability/src/testing/metric-value';
import { OutboxRelay } from './outbox-relay';

const loginEvent = (userId: string) => ({
  eventId: randomUUID(),
  userId,
  groupId: 'g-1',
  firstLogin: true,
  occurredAt: new Date().toISOString(),
});

describe('transactional outbox and relay (real MongoDB and RabbitMQ)', () => {
  const iso = new TestIsolation('outbox');
  const topology = new Topology(iso.namePrefix);
  const logger = testLogger();
  let mongo: Connection;
  let model: Model<OutboxRecord>;
  let uow: MongoUnitOfWork;
  let observer: ChannelModel;
  const received: ConsumeMessage[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  async function relayOn(url: string, options = {}) {
    const amqp = new AmqpConnection({
      url,
      name: 'outbox-test',
      logger,
      minBackoffMs: 50,
      maxBackoffMs: 200,
    });
    const publisher = new EventPublisher(amqp, topology);
    await publisher.init();
    amqp.start();
    const relay = new OutboxRelay(model, publisher, logger, {
      pollIntervalMs: 50,
      maxBackoffMs: 300,
      ...options,
    });
    amqp.on('connected', () => void relay.retryNow());
    cleanups.push(
      () => relay.stop(),
      () => amqp.close(),
    );
    return { amqp, relay, outbox: new MongoOutbox(model, relay) };
  }

  beforeAll(async () => {
    mongo = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    model = outboxModel(mongo);
    const setup = new SchemaSetup(mongo);
    setup.registerModel(model);
    await setup.run();
    uow = new MongoUnitOfWork(mongo);
    // A plain amqplib observer bound to every event, straight on the real broker.
    observer = await connect(iso.infra.rabbitUrl);
    const ch = await observer.createChannel();
    await ch.assertExchange(topology.eventsExchange, 'topic', { durable: true });
    const q = iso.queue('observer');
    await ch.assertQueue(q, { durable: true });
    await ch.bindQueue(q, topology.eventsExchange, '#');
    await ch.consume(q, (m) => m && received.push(m), { noAck: true });
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await model.deleteMany({});
    received.length = 0;
  });

  afterAll(async () => {
    await observer.close();
    await mongo.close();
    await iso.cleanup();
  });

  const receivedIds = () => received.map((m) => m.properties.messageId as string);

  it('publishes committed events once each, persistent, with their id, name, version and request id', async () => {
    const { amqp, relay, outbox } = await relayOn(iso.infra.rabbitUrl);
    await amqp.waitUntilConnected();
    relay.start();
    const event = loginEvent('u-1');
    await RequestContext.run('req-outbox-1', () => uow.run(() => outbox.add(EVENTS.userLoggedIn, event)));

    await waitFor('the event on the broker', () => received.length === 1);
    const [msg] = received;
    expect(JSON.parse(msg.content.toString())).toEqual(event);
    expect(msg.properties.messageId).toBe(event.eventId);
    expect(msg.properties.type).toBe(EVENTS.userLoggedIn);
    expect(msg.properties.deliveryMode).toBe(2);
    expect(msg.properties.headers).toMatchObject({ 'x-request-id': 'req-outbox-1', 'x-event-version': 1 });
    expect(msg.fields.routingKey).toBe(EVENTS.userLoggedIn);
    await waitFor(
      'the record marked sent',
      async () => (await model.findById(event.eventId).lean())?.status === 'sent',
    );
  });

  it('reports the unpublished backlog and its age on /metrics, and counts what it publishes', async () => {
    const metrics = new Metrics('outbox-test', false);
    const { amqp, relay, outbox } = await relayOn(iso.infra.rabbitUrl, { metrics, backlogCacheMs: 0 });
    await amqp.waitUntilConnected();
    const gauge = (name: string) => metricValue(metrics, name);
    expect(await gauge('outbox_unpublished_events')).toBe(0);
    expect(await gauge('outbox_oldest_unpublished_age_seconds')).toBe(0);

    const events = [loginEvent('lag-1'), loginEvent('lag-2'), loginEvent('lag-3')];
    await uow.run(async () => {
      for (const e of events) await outbox.add(EVENTS.userLoggedIn, e);
    });
    // The relay isn't started: the events wait. One was written ten minutes ago.
    await model.updateOne(
      { _id: events[0].eventId },
      { $set: { createdAt: new Date(Date.now() - 600_000) } },
    );
    expect(await gauge('outbox_unpublished_events')).toBe(3);
    const age = await gauge('outbox_oldest_unpublished_age_seconds');
    expect(age).toBeGreaterThanOrEqual(600);
    expect(age).toBeLessThan(3600);

    relay.start();
    await waitFor('all marked sent', async () => (await model.countDocuments({ status: 'sent' })) === 3);
    expect(await gauge('outbox_unpublished_events')).toBe(0);
    expect(await gauge('outbox_oldest_unpublished_age_seconds')).toBe(0);
    expect(await gauge('outbox_published_total')).toBe(3);
    expect(await metrics.render()).toContain('outbox_published_total{app="outbox-test"} 3');
  });

  it('reads the backlog at most once per cache period, however often it is scraped', async () => {
    const { relay } = await relayOn(iso.infra.rabbitUrl, { backlogCacheMs: 60_000 });
    const first = relay.backlog();
    expect(relay.backlog()).toBe(first);
    expect(await first).toEqual({ unpublished: 0, oldestAgeSeconds: 0 });
  });

  it('publishes nothing for a rolled-back change, and refuses events outside a unit of work', async () => {
    const { amqp, relay, outbox } = await relayOn(iso.infra.rabbitUrl);
    await amqp.waitUntilConnected();
    relay.start();
    await expect(
      uow.run(async () => {
        await outbox.add(EVENTS.userLoggedIn, loginEvent('u-2'));
        throw new Error('login record failed');
      }),
    ).rejects.toThrow('login record failed');
    await expect(outbox.add(EVENTS.userLoggedIn, loginEvent('u-3'))).rejects.toThrow(/inside UnitOfWork.run/);
    const committed = loginEvent('u-4');
    await uow.run(() => outbox.add(EVENTS.userLoggedIn, committed));
    await waitFor('the committed event', () => received.length >= 1);
    await relay.drain();
    expect(receivedIds()).toEqual([committed.eventId]);
    expect(await model.countDocuments()).toBe(1);
  });

  it('two relays draining the same outbox publish each of 300 events exactly once', async () => {
    const a = await relayOn(iso.infra.rabbitUrl, { batchSize: 25 });
    const b = await relayOn(iso.infra.rabbitUrl, { batchSize: 25 });
    await Promise.all([a.amqp.waitUntilConnected(), b.amqp.waitUntilConnected()]);
    const events = Array.from({ length: 300 }, (_, i) => loginEvent(`u-${i}`));
    for (let i = 0; i < events.length; i += 50) {
      await uow.run(async () => {
        for (const e of events.slice(i, i + 50)) await a.outbox.add(EVENTS.userLoggedIn, e);
      });
    }
    await Promise.all([a.relay.drain(), b.relay.drain(), a.relay.drain(), b.relay.drain()]);
    await waitFor('all 300 events', () => received.length >= 300);
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate to show up, if there were one
    expect(received).toHaveLength(300);
    expect(new Set(receivedIds())).toEqual(new Set(events.map((e) => e.eventId)));
    expect(await model.countDocuments({ status: 'sent' })).toBe(300);
  });

  it("publishes a dead process's committed events through another relay once their hand-over lease runs out, once each", async () => {
    const dead = await relayOn(iso.infra.rabbitUrl, { handOverLeaseMs: 1500 });
    // The process dies between the commit and the publish: its relay never gets the records.
    const diesAfterCommit = new MongoOutbox(model, {
      handOverClaim: (now) => dead.relay.handOverClaim(now),
      take: () => undefined,
    });
    const survivor = await relayOn(iso.infra.rabbitUrl);
    await survivor.amqp.waitUntilConnected();
    survivor.relay.start();
    const events = Array.from({ length: 20 }, (_, i) => loginEvent(`orphan-${i}`));
    const written = Date.now();
    await uow.run(async () => {
      for (const e of events) await diesAfterCommit.add(EVENTS.userLoggedIn, e);
    });
    // Leased to the dead relay: the survivor, polling every 50 ms, leaves them alone meanwhile.
    await new Promise((r) => setTimeout(r, 700));
    expect(received).toHaveLength(0);
    await waitFor('the orphaned events', () => received.length >= 20, 10000);
    expect(Date.now() - written).toBeGreaterThanOrEqual(1500);
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate to show up, if there were one
    expect(new Set(receivedIds())).toEqual(new Set(events.map((e) => e.eventId)));
    expect(received).toHaveLength(20);
    expect(await model.countDocuments({ status: 'sent' })).toBe(20);
  });

  it('stopping the relay publishes what was committed and handed over but not yet sent', async () => {
    // A long coalescing wait: the events are still held when the relay stops.
    const { amqp, relay, outbox } = await relayOn(iso.infra.rabbitUrl, { coalesceMs: 60_000 });
    await amqp.waitUntilConnected();
    relay.start();
    await relay.drain();
    const event = loginEvent('at-shutdown');
    await uow.run(() => outbox.add(EVENTS.userLoggedIn, event));
    expect(await model.countDocuments({ status: 'pending' })).toBe(1);
    await relay.stop();
    await waitFor('the event', () => received.length >= 1);
    expect(receivedIds()).toEqual([event.eventId]);
    expect(await model.countDocuments({ status: 'sent' })).toBe(1);
  });

  it('keeps events written while RabbitMQ is stopped and delivers all of them, once each, when it returns', async () => {
    const broker = await disposableBroker(iso.infra.rabbitUrl);
    cleanups.push(() => broker.dispose());
    // A durable queue on that broker records what arrives; it survives the broker's restart.
    const watch = await connect(broker.url);
    const setup = await watch.createChannel();
    await setup.assertExchange(topology.eventsExchange, 'topic', { durable: true });
    const q = 'outage-observer';
    await setup.assertQueue(q, { durable: true });
    await setup.bindQueue(q, topology.eventsExchange, '#');
    await watch.close();

    const { amqp, relay, outbox } = await relayOn(broker.url);
    await amqp.waitUntilConnected();
    relay.start();

    await broker.stop();
    await waitFor('the app to notice the outage', () => !amqp.isConnected());
    const events = Array.from({ length: 40 }, (_, i) => loginEvent(`outage-${i}`));
    // Writes keep succeeding while the broker is away: the events wait in the outbox.
    await Promise.all(events.map((e) => uow.run(() => outbox.add(EVENTS.userLoggedIn, e))));
    await waitFor(
      'a failed publish attempt',
      async () => (await model.countDocuments({ attempts: { $gt: 0 } })) > 0,
    );
    expect(await model.countDocuments({ status: 'pending' })).toBe(40);

    await broker.restart();
    await waitFor(
      'all marked sent',
      async () => (await model.countDocuments({ status: 'sent' })) === 40,
      30000,
    );
    const reader = await connect(broker.url);
    const ch = await reader.createChannel();
    const ids: string[] = [];
    for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) {
      ids.push(m.properties.messageId as string);
    }
    await ch.deleteQueue(q);
    await reader.close();
    expect(ids).toHaveLength(40);
    expect(new Set(ids)).toEqual(new Set(events.map((e) => e.eventId)));
  }, 90000);
});
