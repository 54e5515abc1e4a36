import { randomUUID } from 'node:crypto';
import { EVENTS } from '@lib/contracts';
import { Metrics, RequestContext } from '@lib/observability';
import { metricValue } from '../../../observability/src/testing/metric-value';
import { TransactionScope } from '@lib/persistence';
import { TestIsolation, testLogger, waitFor } from '@lib/testing';
import { Topology } from '../topology';
import { EventConsumer, EventMeta } from './event-consumer';
import { ProcessedEvents } from './processed-events';
import { ConsumerRig, startConsumerRig } from './testing/consumer-rig';

describe('idempotent event consumer (real MongoDB and RabbitMQ)', () => {
  const iso = new TestIsolation('consumer');
  const topology = new Topology(iso.namePrefix);
  const logger = testLogger();
  let rig: ConsumerRig;
  let effects: ConsumerRig['effects'];
  let consumer: EventConsumer;
  let failuresLeft = new Map<string, number>();
  const attemptsSeen: EventMeta[] = [];
  const requestIds = new Map<string, string | undefined>();

  const consumerName = 'promotion.first-login';
  const queue = iso.queue(consumerName);

  const event = (userId: string) => rig.event(userId);
  const publish = (body: unknown, headers: Record<string, string> = {}) => rig.publish(body, headers);
  const dlqMessages = () => rig.deadLettered(queue);
  const metrics = new Metrics('consumer-test', false);
  const handled = (outcome: string) => metricValue(metrics, 'events_handled_total', { queue, outcome });
  const deadLettered = () => metricValue(metrics, 'events_dead_lettered_total', { queue });

  beforeAll(async () => {
    rig = await startConsumerRig(iso, 'consumer-test');
    effects = rig.effects;
    consumer = new EventConsumer(
      rig.amqp,
      topology,
      rig.uow,
      new ProcessedEvents(rig.processedModel),
      logger,
      metrics,
    );
    await consumer.subscribe({
      consumer: consumerName,
      events: [EVENTS.userLoggedIn],
      maxAttempts: 3,
      prefetch: 16,
      handle: async (payload, meta) => {
        attemptsSeen.push(meta);
        requestIds.set(payload.eventId, RequestContext.requestId());
        if (payload.userId === 'slow') await new Promise((r) => setTimeout(r, 400));
        await effects.create([{ eventId: payload.eventId, userId: payload.userId }], {
          session: TransactionScope.session(),
        });
        const left = failuresLeft.get(payload.userId) ?? 0;
        if (left > 0) {
          failuresLeft.set(payload.userId, left - 1);
          throw new Error('transient failure'); // after the write: the write must roll back
        }
      },
    });
  });

  afterEach(() => {
    failuresLeft = new Map();
  });

  afterAll(async () => {
    await consumer.close();
    await rig.close();
    await iso.cleanup();
  });

  it('applies an event delivered 10 times exactly once', async () => {
    const e = event('redelivered');
    for (let i = 0; i < 10; i++) publish(e);
    await waitFor('the effect', () => effects.exists({ eventId: e.eventId }));
    const marker = event('marker-1'); // published after the copies: once it is in, all copies were seen
    publish(marker);
    await waitFor('the marker', () => effects.exists({ eventId: marker.eventId }));
    expect(await effects.countDocuments({ eventId: e.eventId })).toBe(1);
  });

  it('runs the handler under the request id the event was published with', async () => {
    const e = event('traced');
    publish(e, { 'x-request-id': 'req-from-gateway-9' });
    await waitFor('the effect', () => effects.exists({ eventId: e.eventId }));
    expect(requestIds.get(e.eventId)).toBe('req-from-gateway-9');
  });

  it('applies 50 distinct events once each, whatever the interleaving of 3 copies of each', async () => {
    const events = Array.from({ length: 50 }, (_, i) => event(`bulk-${i}`));
    for (let copy = 0; copy < 3; copy++) for (const e of events) publish(e);
    await waitFor('all 50 effects', async () => (await effects.countDocuments({ userId: /^bulk-/ })) >= 50);
    const marker = event('marker-2');
    publish(marker);
    await waitFor('the marker', () => effects.exists({ eventId: marker.eventId }));
    expect(await effects.countDocuments({ userId: /^bulk-/ })).toBe(50);
  });

  it('retries a failing handler with backoff, rolling back each failed attempt, until it succeeds', async () => {
    const [retriedBefore, handledBefore] = [await handled('retried'), await handled('handled')];
    const e = event('flaky');
    failuresLeft.set('flaky', 2);
    publish(e);
    await waitFor('the effect after retries', () => effects.exists({ eventId: e.eventId }));
    // At least this one: copies left by the test before may still be settling on the shared counter
    // (under load they did), so exactness is checked per event below, not on the counter.
    await waitFor('the ack counted', async () => (await handled('handled')) >= handledBefore + 1);
    expect(await handled('retried')).toBe(retriedBefore + 2);
    expect(await effects.countDocuments({ eventId: e.eventId })).toBe(1);
    expect(attemptsSeen.filter((m) => m.eventId === e.eventId).map((m) => m.attempt)).toEqual([1, 2, 3]);
  });

  it('dead-letters an event that keeps failing after maxAttempts, and goes on consuming', async () => {
    const deadBefore = await deadLettered();
    const e = event('always-failing');
    failuresLeft.set('always-failing', 99);
    publish(e);
    await waitFor('the attempts', () => attemptsSeen.filter((m) => m.eventId === e.eventId).length === 3);
    const after = event('after-failing');
    publish(after);
    await waitFor('the next event', () => effects.exists({ eventId: after.eventId }));
    const dead = await waitFor('the DLQ entry', async () => {
      const bodies = await dlqMessages();
      return bodies.length ? bodies : undefined;
    });
    expect(dead.map((b) => JSON.parse(b).eventId)).toEqual([e.eventId]);
    expect(await effects.countDocuments({ eventId: e.eventId })).toBe(0);
    expect(await deadLettered()).toBe(deadBefore + 1);
  });

  it('sends poison messages straight to the DLQ and keeps consuming', async () => {
    const [deadBefore, outcomeBefore] = [await deadLettered(), await handled('dead_lettered')];
    publish('{not json');
    publish({ userId: 'no-event-id' });
    publish({ eventId: randomUUID(), groupId: 'g' }); // breaks UserLoggedInV1: no userId
    const good = event('after-poison');
    publish(good);
    await waitFor('the good event', () => effects.exists({ eventId: good.eventId }));
    const dead = await waitFor('3 dead letters', async () => {
      const bodies = await dlqMessages();
      return bodies.length === 3 ? bodies : undefined;
    });
    expect(dead[0]).toBe('{not json');
    expect(JSON.parse(dead[1])).toEqual({ userId: 'no-event-id' });
    expect(JSON.parse(dead[2]).groupId).toBe('g');
    expect(await deadLettered()).toBe(deadBefore + 3);
    expect(await handled('dead_lettered')).toBe(outcomeBefore + 3);
  });

  it('on shutdown stops taking events but finishes and acks the one in progress', async () => {
    const e = event('slow');
    publish(e);
    await waitFor('the slow handler to start', () => attemptsSeen.some((m) => m.eventId === e.eventId));
    await consumer.close();
    expect(await effects.countDocuments({ eventId: e.eventId })).toBe(1);
    expect(await rig.queued(queue)).toBe(0); // nothing came back for redelivery
    expect(attemptsSeen.filter((m) => m.eventId === e.eventId)).toHaveLength(1);
  });
});
