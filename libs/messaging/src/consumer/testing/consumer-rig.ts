import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { Schema, type Connection, type Model } from 'mongoose';
import { EVENTS, type UserLoggedInV1 } from '@lib/contracts';
import { MongoUnitOfWork, SchemaSetup, openMongoConnection } from '@lib/persistence';
import { type TestIsolation, testLogger } from '@lib/testing';
import { AmqpConnection } from '../../amqp-connection';
import { Topology } from '../../topology';
import { processedEventModel } from '../processed-events';

/** What a test handler writes, so a test can count effects per event. */
export interface Effect {
  eventId: string;
  userId: string;
}

/**
 * The real MongoDB and RabbitMQ a consumer test needs, set up once: an effects collection, the
 * processed-event model, a unit of work, a broker connection for the consumer, and a raw channel
 * to publish `auth.user.logged-in` events and read a queue's dead-letter queue.
 */
export interface ConsumerRig {
  topology: Topology;
  mongo: Connection;
  effects: Model<Effect>;
  processedModel: ReturnType<typeof processedEventModel>;
  uow: MongoUnitOfWork;
  amqp: AmqpConnection;
  event(userId: string, firstLogin?: boolean): UserLoggedInV1;
  publish(body: unknown, headers?: Record<string, string>): void;
  deadLettered(queue: string): Promise<string[]>;
  /** How many messages wait in a queue. */
  queued(queue: string): Promise<number>;
  close(): Promise<void>;
}

export async function startConsumerRig(iso: TestIsolation, name: string): Promise<ConsumerRig> {
  const topology = new Topology(iso.namePrefix);
  const mongo = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
  const effects = mongo.model('Effect', new Schema<Effect>({ eventId: String, userId: String }));
  const processedModel = processedEventModel(mongo);
  const setup = new SchemaSetup(mongo);
  setup.registerModel(effects);
  setup.registerModel(processedModel);
  await setup.run();

  const amqp = new AmqpConnection({ url: iso.infra.rabbitUrl, name, logger: testLogger() });
  amqp.start();
  await amqp.waitUntilConnected();
  const raw: ChannelModel = await connect(iso.infra.rabbitUrl);
  const publishCh: Channel = await raw.createChannel();

  return {
    topology,
    mongo,
    effects,
    processedModel,
    uow: new MongoUnitOfWork(mongo),
    amqp,
    event: (userId, firstLogin = true) => ({
      eventId: randomUUID(),
      userId,
      groupId: 'g-1',
      firstLogin,
      occurredAt: new Date().toISOString(),
    }),
    publish: (body, headers = {}) =>
      void publishCh.publish(
        topology.eventsExchange,
        EVENTS.userLoggedIn,
        Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
        { persistent: true, type: EVENTS.userLoggedIn, headers },
      ),
    async deadLettered(queue) {
      const ch = await raw.createChannel();
      const bodies: string[] = [];
      for (
        let m = await ch.get(`${queue}.dlq`, { noAck: true });
        m;
        m = await ch.get(`${queue}.dlq`, { noAck: true })
      )
        bodies.push(m.content.toString());
      await ch.close();
      return bodies;
    },
    async queued(queue) {
      const ch = await raw.createChannel();
      const { messageCount } = await ch.checkQueue(queue);
      await ch.close();
      return messageCount;
    },
    async close() {
      await amqp.close();
      await raw.close();
      await mongo.close();
    },
  };
}
