import {
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Provider,
} from '@nestjs/common';
import { HealthRegistry, LOGGER, Logger } from '@lib/observability';
import mongoose, { Connection, Schema } from 'mongoose';
import { MongoUnitOfWork } from './mongo-unit-of-work';
import { SchemaSetup, Migration } from './schema-setup';
import { UnitOfWork } from './unit-of-work';

// Mongoose captures `new Error().stack` on every query exec, only to word a 'Query was already
// executed' error: a stack trace per database call.
mongoose.set('skipOriginalStackTraces', true);

export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');
export const modelToken = (name: string) => `mongo-model:${name}`;
export const InjectModel = (name: string) => Inject(modelToken(name));

export interface PersistenceOptions {
  uri: string;
  dbName: string;
}

/** Opens a connection that majority-writes, reads from the primary, and never auto-builds indexes. */
export async function openMongoConnection({ uri, dbName }: PersistenceOptions): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    autoIndex: false,
    autoCreate: false,
    writeConcern: { w: 'majority' },
    readPreference: 'primary',
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 50,
  });
  await connection.asPromise();
  return connection;
}

/** True only while a primary accepts writes: /health/ready reports not ready otherwise. */
export async function hasWritablePrimary(connection: Connection): Promise<boolean> {
  if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) return false;
  const hello = await connection.db.admin().command({ hello: 1 });
  return hello.isWritablePrimary === true;
}

/**
 * Runs the explicit schema step (collections, indexes, migrations) when the app starts, before
 * it serves or consumes anything, and closes the connection last on shutdown. Where the
 * deployment runs the step itself (SchemaSetup.leaveToMigrateCommand), the start only reports
 * migrations still pending.
 */
class SchemaLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MONGO_CONNECTION) private readonly connection: Connection,
    private readonly setup: SchemaSetup,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}
  async onModuleInit(): Promise<void> {
    if (!this.setup.runsAtStart) {
      const pending = await this.setup.pendingMigrations();
      const message = 'schema step left to the migrate command';
      if (pending.length === 0) this.logger.info(`${message}: no migration pending`);
      else this.logger.warn({ pending }, `${message}, which has not applied these migrations yet`);
      return;
    }
    const { indexes, migrations } = await this.setup.run((msg) => this.logger.info(msg));
    this.logger.info({ indexes, migrations }, 'schema ready');
  }
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: MONGO_CONNECTION, useFactory: () => openMongoConnection(options) },
        {
          provide: UnitOfWork,
          useFactory: (c: Connection) => new MongoUnitOfWork(c),
          inject: [MONGO_CONNECTION],
        },
        {
          provide: SchemaSetup,
          useFactory: (c: Connection, health: HealthRegistry) => {
            health.register({ name: 'mongodb', check: () => hasWritablePrimary(c) });
            return new SchemaSetup(c);
          },
          inject: [MONGO_CONNECTION, HealthRegistry],
        },
        SchemaLifecycle,
      ],
      exports: [MONGO_CONNECTION, UnitOfWork, SchemaSetup],
    };
  }

  /** Registers an aggregate's collections: injectable with @InjectModel(name), indexed by SchemaSetup. */
  static forFeature(
    models: Array<{ name: string; schema: Schema; collection?: string }>,
    migrations: Migration[] = [],
  ): DynamicModule {
    const providers: Provider[] = models.map(({ name, schema, collection }) => ({
      provide: modelToken(name),
      useFactory: (c: Connection, setup: SchemaSetup) => {
        const model = c.models[name] ?? c.model(name, schema, collection);
        setup.registerModel(model);
        return model;
      },
      inject: [MONGO_CONNECTION, SchemaSetup],
    }));
    if (migrations.length) {
      providers.push({
        provide: `mongo-migrations:${migrations.map((m) => m.id).join(',')}`,
        useFactory: (setup: SchemaSetup) => setup.registerMigrations(migrations),
        inject: [SchemaSetup],
      });
    }
    return { module: PersistenceModule, providers, exports: providers };
  }
}
