import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EVENTS } from '@lib/contracts';
import { Metrics, RequestContext, runInSpan, startSpan } from '@lib/observability';
import { TransactionScope } from '@lib/persistence';
import { TestIsolation, testLogger, waitFor } from '@lib/testing';
import { inMemoryTracingForTests } from '../../../observability/src/testing/in-memory-tracing';
import { AmqpConnection } from '../amqp-connection';
import { BatchEventConsumer } from '../consumer/batch-event-consumer';
import { BatchProcessedEvents } from '../consumer/batch-processed-events';
import { EventConsumer } from '../consumer/event-consumer';
import { ProcessedEvents } from '../consumer/processed-events';
import { ConsumerRig, startConsumerRig } from '../consumer/testing/consumer-rig';
import { EventPublisher } from '../event-publisher';
import { Topology } from '../topology';
import { MongoOutbox, type OutboxRecord, outboxModel } from './mongo-outbox';
import { OutboxRelay } from './outbox-relay';

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const traceparent = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;

/**
 * The trace context of an event, end to end on the real MongoDB and RabbitMQ: stored with the
 * outbox record in the writer's transaction, carried by the relay's publish, restored by the
 * consumers (one at a time, and in batches).
 */
describe('trace context through the outbox, the relay and the consumers (real MongoDB and RabbitMQ)', () => {
  const iso = new TestIsolation('event-trace');
  const topology = new Topology(iso.namePrefix);
  const logger = testLogger();
  let rig: ConsumerRig;
  let relayAmqp: AmqpConnection;
  let relay: OutboxRelay;
  let outbox: MongoOutbox;
  let model: ReturnType<typeof outboxModel>;
  let consumer: EventConsumer;
  let batchConsumer: BatchEventConsumer;
  let observer: ChannelModel;
  const received: ConsumeMessage[] = [];

  beforeAll(async () => {
    rig = await startConsumerRig(iso, 'event-trace');
    model = outboxModel(rig.mongo);
    await model.createCollection();
    relayAmqp = new AmqpConnection({ url: iso.infra.rabbitUrl, name: 'event-trace-relay', logger });
    const publisher = new EventPublisher(relayAmqp, topology);
    await publisher.init();
    relayAmqp.start();
    await relayAmqp.waitUntilConnected();
    // Woken by each commit (as in production), never by a poll: which context a wake-up runs in
    // is then the test's, not a timer's.
    relay = new OutboxRelay(model, publisher, logger, { pollIntervalMs: 60_000 });
    outbox = new MongoOutbox(model, relay);
    relay.start();

    // One at a time: the 'single-' users; in batches: the 'batch-' users.
    const { amqp, uow, processedModel, effects } = rig;
    const metrics = new Metrics('tracing-test', false);
    consumer = new EventConsumer(amqp, topology, uow, new ProcessedEvents(processedModel), logger, metrics);
    batchConsumer = new BatchEventConsumer(
      amqp,
      topology,
      uow,
      new BatchProcessedEvents(processedModel),
      logger,
      metrics,
    );
    const session = () => ({ session: TransactionScope.session() });
    for (const name of ['auth.single', 'promotion.batch']) iso.queue(name); // cleanup deletes them
    await consumer.subscribe({
      consumer: 'auth.single',
      events: [EVENTS.userLoggedIn],
      handle: async ({ eventId, userId }) => {
        if (userId.startsWith('single-')) await effects.create([{ eventId, userId }], session());
      },
    });
    await batchConsumer.subscribe({
      consumer: 'promotion.batch',
      events: [EVENTS.userLoggedIn],
      batchSize: 25,
      skip: (p) => !p.userId.startsWith('batch-'),
      handle: async (items) => {
        const docs = items.map(({ payload: { eventId, userId } }) => ({ eventId, userId }));
        await effects.collection.insertMany(docs, session());
      },
    });

    observer = await connect(iso.infra.rabbitUrl);
    const ch = await observer.createChannel();
    const q = iso.queue('observer');
    await ch.assertQueue(q, { durable: true });
    await ch.bindQueue(q, topology.eventsExchange, '#');
    await ch.consume(q, (m) => m && received.push(m), { noAck: true });
  });

  afterAll(async () => {
    await consumer.close();
    await batchConsumer.close();
    await relay.stop();
    await relayAmqp.close();
    await observer.close();
    await rig.close();
    await iso.cleanup();
  });

  const effectOf = (userId: string) => rig.effects.countDocuments({ userId });
  const messageOf = (eventId: string) => received.find((m) => m.properties.messageId === eventId);

  it('with tracing off: stores no trace context and sends none', async () => {
    const e = rig.event('single-off');
    await RequestContext.run('req-off', () => rig.uow.run(() => outbox.add(EVENTS.userLoggedIn, e)));
    await waitFor('the consumer', () => effectOf('single-off'));
    const record = await model.findById(e.eventId).lean<OutboxRecord>();
    expect(record).not.toHaveProperty('traceparent');
    const msg = await waitFor('the message', () => messageOf(e.eventId));
    expect(msg.properties.headers).toMatchObject({ 'x-request-id': 'req-off' });
    expect(msg.properties.headers).not.toHaveProperty('traceparent');
  });

  describe('with tracing on', () => {
    const tracing = inMemoryTracingForTests();

    it('the consumer continues the trace of the request that wrote the event, through the relay', async () => {
      const e = rig.event('single-on');
      const request = startSpan('request', SpanKind.SERVER);
      await runInSpan(request, () => rig.uow.run(() => outbox.add(EVENTS.userLoggedIn, e)));
      request.end();
      const { traceId, spanId } = request.spanContext();

      const record = await model.findById(e.eventId).lean<OutboxRecord>();
      expect(record?.traceparent).toBe(traceparent(traceId, spanId));

      await waitFor('the consumer span', () =>
        tracing
          .spans()
          .some((s) => s.kind === SpanKind.CONSUMER && s.name === `process ${EVENTS.userLoggedIn}`),
      );
      const spans = tracing.spans().filter((s) => s.spanContext().traceId === traceId);
      const publish = spans.find((s) => s.kind === SpanKind.PRODUCER)!;
      expect(publish).toMatchObject({
        name: `publish ${EVENTS.userLoggedIn}`,
        attributes: { 'messaging.message.id': e.eventId },
      });
      expect(parentOf(publish)).toBe(spanId);
      const consumed = spans.filter((s) => s.kind === SpanKind.CONSUMER);
      expect(consumed.map((s) => s.attributes['messaging.consumer.group.name'])).toContain('auth.single');
      for (const s of consumed) expect(parentOf(s)).toBe(idOf(publish));
      const single = consumed.find((s) => s.attributes['messaging.consumer.group.name'] === 'auth.single')!;
      // The consumer's writes run under its span; the message carried the publish span's context.
      const writes = spans.filter((s) => parentOf(s) === idOf(single));
      expect(writes.map((s) => s.name)).toEqual(
        expect.arrayContaining(['insert effects', 'commitTransaction $cmd']),
      );
      expect(messageOf(e.eventId)?.properties.headers?.traceparent).toBe(traceparent(traceId, idOf(publish)));
      // The relay's own reads and writes of the outbox are no part of the request's trace.
      const outboxOps = spans.filter((s) => s.attributes['db.collection.name'] === 'outbox');
      expect(outboxOps.map((s) => [s.name, parentOf(s)])).toEqual([['insert outbox', spanId]]);
    });

    it('a batch gets one span linked to the publish of each of its events', async () => {
      // How many messages arrive together depends on the broker's timing: send bursts of 20
      // until one is handled as a batch (the first almost always is), at most 5.
      const parents = new Map<string, string>();
      const batchSpans = () =>
        tracing.spans().filter((s) => s.name === 'process batch promotion.batch').length;
      for (let burst = 0; burst < 5 && (burst === 0 || batchSpans() === 0); burst++) {
        const events = Array.from({ length: 20 }, (_, i) => rig.event(`batch-${burst}-${i}`));
        for (const [i, e] of events.entries()) {
          parents.set(
            e.eventId,
            traceparent(`${(burst * 20 + i + 1).toString(16).padStart(32, 'a')}`, 'b'.repeat(16)),
          );
        }
        for (const e of events) rig.publish(e, { traceparent: parents.get(e.eventId)! });
        await waitFor(
          `all effects of burst ${burst + 1}`,
          async () => (await rig.effects.countDocuments({ userId: new RegExp(`^batch-${burst}-`) })) === 20,
        );
      }

      const mine = () =>
        tracing.spans().filter((s) => s.attributes['messaging.consumer.group.name'] === 'promotion.batch');
      // Every event's context is a batch span's link, or the parent of its own span.
      const uncovered = () => {
        const covered = new Set<string>();
        for (const s of mine()) {
          for (const link of s.links) covered.add(traceparent(link.context.traceId, link.context.spanId));
          if (s.parentSpanContext)
            covered.add(traceparent(s.parentSpanContext.traceId, s.parentSpanContext.spanId));
        }
        return [...parents.values()].filter((p) => !covered.has(p));
      };
      // A batch's writes are visible (the commit applied) a moment before its consumer hears back and
      // ends its span: wait for the spans rather than read them the moment the effects show.
      await waitFor('every event covered by an ended span', () => uncovered().length === 0);
      expect(uncovered()).toEqual([]);
      const batches = mine().filter((s) => s.name === 'process batch promotion.batch');
      expect(batches.length).toBeGreaterThan(0); // a burst is not handled one by one
      for (const b of batches) {
        expect(b.parentSpanContext).toBeUndefined(); // many parents: a trace of its own, with links
        expect(b.attributes['messaging.batch.message_count']).toBe(b.links.length);
      }
    });
  });
});
