import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import mongoose, { Connection, Schema } from 'mongoose';
import type { PlatformConfig } from '@lib/config';
import { JsonLogger } from '@lib/observability';
import { type Migration, PersistenceModule } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { createApp, runMigrateCommand } from './create-app';
import { platformModules } from './platform-modules';

/** An app with one collection (one index) and one migration, as a service has. */
@Module({})
class ProbeModule {
  static register(config: PlatformConfig, migration: Migration): DynamicModule {
    const schema = new Schema({ code: String });
    schema.index({ code: 1 }, { unique: true });
    return {
      module: ProbeModule,
      imports: [
        ...platformModules(config, { mongo: true, defaultMetrics: false }),
        PersistenceModule.forFeature([{ name: 'Probe', schema, collection: 'probes' }], [migration]),
      ],
    };
  }
}

describe('MIGRATE_ON_START: whether an app runs the schema step when it starts (real infrastructure)', () => {
  const iso = new TestIsolation('migstart');
  const apps: INestApplication[] = [];
  let observer: Connection;

  const migration = (): Migration & { calls: number } => {
    const m = {
      id: '2026-07-01-probe',
      calls: 0,
      up: async () => {
        m.calls++;
      },
    };
    return m;
  };

  const schemaOf = async (db: string) => {
    const conn = observer.useDb(db, { useCache: true });
    const collections = (await conn.listCollections()).map((c) => c.name);
    const migrations = await conn.collection('_migrations').find().toArray();
    return { collections, migrations: migrations.map((r) => [r._id, r.state]) };
  };

  beforeAll(async () => {
    observer = await mongoose.createConnection(iso.infra.mongoUri).asPromise();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await observer.close();
    await iso.cleanup();
  });

  it('by default builds the collections and indexes and applies the migrations before serving', async () => {
    const db = iso.database('on');
    const m = migration();
    const app = await createApp(ProbeModule.register(iso.config('probe', { mongoDb: db }), m));
    apps.push(app);
    await app.init();

    expect(m.calls).toBe(1);
    expect(await schemaOf(db)).toEqual({
      collections: expect.arrayContaining(['probes', '_migrations']),
      migrations: [[m.id, 'applied']],
    });
  });

  it('with migrateOnStart false starts without touching the schema; the migrate command then does it', async () => {
    const db = iso.database('off');
    const m = migration();
    const app = await createApp(ProbeModule.register(iso.config('probe', { mongoDb: db }), m), {
      migrateOnStart: false,
    });
    apps.push(app);
    await app.init();

    expect(m.calls).toBe(0);
    expect(await schemaOf(db)).toEqual({ collections: [], migrations: [] });

    await runMigrateCommand(ProbeModule.register(iso.config('probe', { mongoDb: db }), m), 'probe');

    expect(m.calls).toBe(1);
    expect(await schemaOf(db)).toEqual({
      collections: expect.arrayContaining(['probes', '_migrations']),
      migrations: [[m.id, 'applied']],
    });
    const indexes = await observer.useDb(db).collection('probes').indexes();
    expect(indexes.map((i) => i.key)).toContainEqual({ code: 1 });
  });

  it('with migrateOnStart false an app without a database (the gateway) starts as usual, logging no error', async () => {
    const errors = jest.spyOn(JsonLogger.prototype, 'error');
    try {
      const app = await createApp(
        {
          module: ProbeModule,
          imports: platformModules(iso.config('probe-no-db'), { defaultMetrics: false }),
        },
        { migrateOnStart: false },
      );
      apps.push(app);
      await expect(app.init()).resolves.toBe(app);
      // It used to log "Nest could not find SchemaSetup element" as an error at every start.
      expect(errors.mock.calls).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });
});
