import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Connection } from 'mongoose';
import { HealthRegistry, LOGGER, Logger, Metrics } from '@lib/observability';
import { MONGO_CONNECTION, SchemaSetup, UnitOfWork } from '@lib/persistence';
import { AmqpConnection } from './amqp-connection';
import { BatchEventConsumer } from './consumer/batch-event-consumer';
import { BatchProcessedEvents } from './consumer/batch-processed-events';
import { EventConsumer } from './consumer/event-consumer';
import { ProcessedEvents, processedEventModel } from './consumer/processed-events';
import { EventPublisher } from './event-publisher';
import { MongoOutbox, outboxModel } from './outbox/mongo-outbox';
import { Outbox } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox-relay';
import { RpcClient } from './rpc/rpc-client';
import { QueueType, Topology } from './topology';

export interface MessagingOptions {
  url: string;
  /** Names this app's connection in the broker UI. */
  app: string;
  /** Prefix of every exchange and queue name ('' in production, unique per test file). */
  prefix?: string;
  rpcTimeoutMs?: number;
  queueType?: QueueType;
}

@Injectable()
class BrokerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly amqp: AmqpConnection) {}
  onApplicationBootstrap(): void {
    this.amqp.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.amqp.close();
  }
}

/** The one place that configures RabbitMQ: connection, topology names, RPC client, publisher. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: Topology, useValue: new Topology(options.prefix ?? '', options.queueType) },
        {
          provide: AmqpConnection,
          useFactory: (logger: Logger, health: HealthRegistry) => {
            const amqp = new AmqpConnection({ url: options.url, name: options.app, logger });
            health.register({ name: 'rabbitmq', check: async () => amqp.isConnected() });
            return amqp;
          },
          inject: [LOGGER, HealthRegistry],
        },
        {
          provide: RpcClient,
          useFactory: async (amqp: AmqpConnection, topology: Topology, metrics: Metrics) => {
            const client = new RpcClient(amqp, topology, metrics, options.rpcTimeoutMs);
            await client.init();
            return client;
          },
          inject: [AmqpConnection, Topology, Metrics],
        },
        {
          provide: EventPublisher,
          useFactory: async (amqp: AmqpConnection, topology: Topology) => {
            const publisher = new EventPublisher(amqp, topology);
            await publisher.init();
            return publisher;
          },
          inject: [AmqpConnection, Topology],
        },
        BrokerLifecycle,
      ],
      exports: [Topology, AmqpConnection, RpcClient, EventPublisher],
    };
  }

  /** The transactional outbox and its relay, plus idempotent event consumers (needs persistence). */
  static forOutbox(): DynamicModule {
    return {
      module: OutboxFeatureModule,
      global: true,
      providers: [
        {
          provide: OutboxRelay,
          useFactory: (
            c: Connection,
            setup: SchemaSetup,
            publisher: EventPublisher,
            logger: Logger,
            metrics: Metrics,
          ) => {
            const model = outboxModel(c);
            setup.registerModel(model);
            return new OutboxRelay(model, publisher, logger, { metrics });
          },
          inject: [MONGO_CONNECTION, SchemaSetup, EventPublisher, LOGGER, Metrics],
        },
        {
          provide: Outbox,
          useFactory: (c: Connection, relay: OutboxRelay) => new MongoOutbox(outboxModel(c), relay),
          inject: [MONGO_CONNECTION, OutboxRelay],
        },
        {
          provide: ProcessedEvents,
          useFactory: (c: Connection, setup: SchemaSetup) => {
            const model = processedEventModel(c);
            setup.registerModel(model);
            return new ProcessedEvents(model);
          },
          inject: [MONGO_CONNECTION, SchemaSetup],
        },
        {
          provide: EventConsumer,
          useFactory: (
            amqp: AmqpConnection,
            topology: Topology,
            uow: UnitOfWork,
            processed: ProcessedEvents,
            logger: Logger,
            metrics: Metrics,
          ) => new EventConsumer(amqp, topology, uow, processed, logger, metrics),
          inject: [AmqpConnection, Topology, UnitOfWork, ProcessedEvents, LOGGER, Metrics],
        },
        {
          // For high-volume queues: one transaction per batch of events (same records, same rules).
          provide: BatchEventConsumer,
          useFactory: (
            amqp: AmqpConnection,
            topology: Topology,
            uow: UnitOfWork,
            c: Connection,
            logger: Logger,
            metrics: Metrics,
          ) =>
            new BatchEventConsumer(
              amqp,
              topology,
              uow,
              new BatchProcessedEvents(processedEventModel(c)),
              logger,
              metrics,
            ),
          inject: [AmqpConnection, Topology, UnitOfWork, MONGO_CONNECTION, LOGGER, Metrics],
        },
        OutboxLifecycle,
      ],
      exports: [Outbox, OutboxRelay, ProcessedEvents, EventConsumer, BatchEventConsumer],
    };
  }
}

@Injectable()
class OutboxLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: EventConsumer,
    @Inject(AmqpConnection) private readonly amqp: AmqpConnection,
  ) {}
  onApplicationBootstrap(): void {
    this.relay.start();
    this.amqp.on('connected', () => void this.relay.retryNow());
  }
  /** Drain before connections close: stop taking events, finish in-flight ones, stop the relay. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.close();
    await this.relay.stop();
  }
}

@Module({})
class OutboxFeatureModule {}
