import { randomUUID } from 'node:crypto';
import { TransactionScope } from '@lib/persistence';
import { EVENTS, type UserLoggedInV1 } from '@lib/contracts';
import { Metrics } from '@lib/observability';
import { TestIsolation, testLogger, waitFor } from '@lib/testing';
import { metricValue } from '../../../observability/src/testing/metric-value';
import { Topology } from '../topology';
import { BatchEventConsumer } from './batch-event-consumer';
import { BatchProcessedEvents } from './batch-processed-events';
import { ConsumerRig, startConsumerRig } from './testing/consumer-rig';

describe('batch event consumer (real MongoDB and RabbitMQ)', () => {
  const iso = new TestIsolation('batchconsumer');
  const topology = new Topology(iso.namePrefix);
  const consumerName = 'batch.first-login';
  const queue = iso.queue(consumerName);
  let rig: ConsumerRig;
  let effects: ConsumerRig['effects'];
  let consumer: BatchEventConsumer;
  const batchSizes: number[] = [];
  const attempts = new Map<string, number[]>();
  let failing = new Set<string>();

  const event = (userId: string, firstLogin = true) => rig.event(userId, firstLogin);
  const publish = (body: unknown) => rig.publish(body);
  const effectsOf = (userId: string | RegExp) => effects.countDocuments({ userId });
  const dlq = () => rig.deadLettered(queue);
  const metrics = new Metrics('batch-consumer-test', false);
  const handled = (outcome: string) => metricValue(metrics, 'events_handled_total', { queue, outcome });
  const deadLettered = () => metricValue(metrics, 'events_dead_lettered_total', { queue });

  beforeAll(async () => {
    rig = await startConsumerRig(iso, 'batch-consumer-test');
    effects = rig.effects;
    consumer = new BatchEventConsumer(
      rig.amqp,
      topology,
      rig.uow,
      new BatchProcessedEvents(rig.processedModel),
      testLogger(),
      metrics,
    );
    await consumer.subscribe({
      consumer: consumerName,
      events: [EVENTS.userLoggedIn],
      batchSize: 25,
      maxAttempts: 3,
      skip: (p) => !p.firstLogin,
      handle: async (items) => {
        batchSizes.push(items.length);
        for (const { meta } of items)
          attempts.set(meta.eventId, [...(attempts.get(meta.eventId) ?? []), meta.attempt]);
        await effects.collection.insertMany(
          items.map((i) => ({ eventId: i.payload.eventId, userId: i.payload.userId })),
          { session: TransactionScope.session() },
        );
        const bad = items.find((i) => failing.has(i.payload.userId));
        if (bad) throw new Error(`cannot handle ${bad.payload.userId}`); // after the writes: they must roll back
      },
    });
  });

  afterEach(() => {
    failing = new Set();
  });

  afterAll(async () => {
    await consumer.close();
    await rig.close();
    await iso.cleanup();
  });

  it('commits a burst in batches of up to batchSize, each event once despite 3 copies of each', async () => {
    batchSizes.length = 0;
    const events = Array.from({ length: 200 }, (_, i) => event(`burst-${i}`));
    for (let copy = 0; copy < 3; copy++) for (const e of events) publish(e);
    await waitFor('all 200 effects', async () => (await effectsOf(/^burst-/)) >= 200);
    const marker = event('marker-1');
    publish(marker);
    await waitFor('the marker', () => effectsOf('marker-1'));
    expect(await effectsOf(/^burst-/)).toBe(200);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(25);
    expect(batchSizes.some((n) => n > 1)).toBe(true); // a burst is not handled one by one
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(201);
  });

  it('applies an event delivered 10 times exactly once', async () => {
    const e = event('tenfold');
    for (let i = 0; i < 10; i++) publish(e);
    const marker = event('marker-2');
    publish(marker);
    await waitFor('the marker', () => effectsOf('marker-2'));
    expect(await effectsOf('tenfold')).toBe(1);
  });

  it('a failing event sinks its batch, the rest are redone one by one, and it alone is retried then dead-lettered', async () => {
    const [deadBefore, handledBefore, retriedBefore] = [
      await deadLettered(),
      await handled('handled'),
      await handled('retried'),
    ];
    failing = new Set(['poisoned-by-handler']);
    const good = Array.from({ length: 10 }, (_, i) => event(`neighbour-${i}`));
    const bad = event('poisoned-by-handler');
    for (const e of [...good.slice(0, 5), bad, ...good.slice(5)]) publish(e);
    await waitFor('the neighbours', async () => (await effectsOf(/^neighbour-/)) === 10);
    await waitFor(
      '3 attempts of the bad event',
      () => attempts.get(bad.eventId)?.filter((a) => a === 3).length,
    );
    const dead = await waitFor('the dead letter', async () => {
      const got = await dlq();
      return got.length ? got : undefined;
    });
    expect(dead.map((b) => (JSON.parse(b) as UserLoggedInV1).eventId)).toEqual([bad.eventId]);
    expect(await effectsOf('poisoned-by-handler')).toBe(0);
    expect(await effectsOf(/^neighbour-/)).toBe(10);
    expect(await deadLettered()).toBe(deadBefore + 1);
    expect(await handled('retried')).toBe(retriedBefore + 2); // attempts 1 and 2; the 3rd dead-letters
    await waitFor('the neighbours counted', async () => (await handled('handled')) === handledBefore + 10);
    expect(await rig.mongo.collection('processed_events').countDocuments({ eventId: bad.eventId })).toBe(0);
  });

  it('dead-letters poison at once, acks skipped events untouched, and keeps consuming', async () => {
    const [deadBefore, handledBefore] = [await deadLettered(), await handled('handled')];
    publish('{not json');
    publish({ userId: 'no-event-id' });
    publish({ eventId: randomUUID(), groupId: 'g' });
    const skipped = event('not-first', false);
    publish(skipped);
    const good = event('after-poison');
    publish(good);
    await waitFor('the good event', () => effectsOf('after-poison'));
    const dead: string[] = [];
    await waitFor('3 dead letters', async () => dead.push(...(await dlq())) >= 3);
    expect(dead).toHaveLength(3);
    expect(dead[0]).toBe('{not json');
    expect(await effectsOf('not-first')).toBe(0);
    expect(await rig.mongo.collection('processed_events').countDocuments({ eventId: skipped.eventId })).toBe(
      0,
    );
    await waitFor('the queue to be empty', async () => (await rig.queued(queue)) === 0);
    expect(await deadLettered()).toBe(deadBefore + 3);
    await waitFor(
      'the skipped and the good event counted',
      async () => (await handled('handled')) === handledBefore + 2,
    );
  });
});
