import type { Connection } from 'mongoose';
import { Schema } from 'mongoose';
import { type Migration, type MigrationRecord, SchemaSetup, openMongoConnection } from '@lib/persistence';
import { TestIsolation, waitFor } from '@lib/testing';

/**
 * Migrations run under a lease in `_migrations`: several processes (here: SchemaSetups on
 * connections of their own, as two pods would have) run the schema step at once against one
 * database, on the real replica set.
 */
describe('SchemaSetup: each migration applied once under a lease, from several processes at once', () => {
  const iso = new TestIsolation('miglease');
  const connections: Connection[] = [];

  /** A "process": its own connection to the test's database. */
  const pod = async (db: string): Promise<Connection> => {
    const connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: db });
    connections.push(connection);
    return connection;
  };

  /** A migration that counts its applications in the database, and can be held at a gate. */
  const counted = (id: string, before?: (call: number) => Promise<void>): Migration & { calls: number } => {
    const migration = {
      id,
      calls: 0,
      async up(connection: Connection) {
        const call = ++migration.calls;
        await before?.(call);
        await connection
          .collection<{ _id: string; n: number }>('applications')
          .updateOne({ _id: id }, { $inc: { n: 1 } }, { upsert: true });
      },
    };
    return migration;
  };

  const applications = async (connection: Connection): Promise<Record<string, number>> => {
    const docs = await connection.collection<{ _id: string; n: number }>('applications').find().toArray();
    return Object.fromEntries(docs.map((d) => [d._id, d.n]));
  };

  const records = (connection: Connection) => connection.collection<MigrationRecord>('_migrations');

  const thingSchema = () => {
    const schema = new Schema({ code: String, at: Date });
    schema.index({ code: 1 }, { unique: true });
    return schema;
  };

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await iso.cleanup();
  });

  it('two migrators started together apply each migration exactly once; the other waits out a lease its holder keeps renewing', async () => {
    const db = iso.database('together');
    const [a, b] = [await pod(db), await pod(db)];
    // Renewed every 500 ms: a waiter takes over only if a renewal is a whole second late.
    const leaseMs = 1_500;
    const logs: Record<string, string[]> = { a: [], b: [] };
    let firstOwner: string | undefined;

    // The first application of m1, whoever claims it, is held until the other process has seen
    // the lease and the holder has renewed it past its first expiry; or until m1 is applied a
    // second time, which is the bug.
    const m1 = counted('2026-01-01-m1', async (call) => {
      if (call > 1) return;
      const first = await waitFor('m1 claimed', () => records(a).findOne({ _id: m1.id }));
      firstOwner = first.owner ?? undefined;
      const firstExpiry = first.leaseUntil?.getTime() ?? 0;
      await waitFor(
        'the other process waiting, and the lease renewed past its first expiry',
        async () => {
          if (m1.calls > 1) return true;
          const waiting = [...logs.a, ...logs.b].some((line) =>
            line.includes(`m1: waiting for ${firstOwner}`),
          );
          const lease = (await records(a).findOne({ _id: m1.id }))?.leaseUntil?.getTime() ?? 0;
          return waiting && lease > firstExpiry + leaseMs;
        },
        15_000,
        20,
      );
    });
    const m2 = counted('2026-01-02-m2');
    const m3 = counted('2026-01-03-m3');

    const setups = [a, b].map((connection) => {
      const setup = new SchemaSetup(connection, { leaseMs, pollMs: 20 });
      setup.registerModel(connection.model('Thing', thingSchema()));
      setup.registerMigrations([m1, m2, m3]);
      return setup;
    });
    const [ra, rb] = await Promise.all([
      setups[0].run((line) => logs.a.push(line)),
      setups[1].run((line) => logs.b.push(line)),
    ]);

    expect(await applications(a)).toEqual({ [m1.id]: 1, [m2.id]: 1, [m3.id]: 1 });
    expect([m1.calls, m2.calls, m3.calls]).toEqual([1, 1, 1]);
    expect([...ra.migrations, ...rb.migrations].sort()).toEqual([m1.id, m2.id, m3.id]);
    expect(ra.indexes).toBe(1);
    expect(rb.indexes).toBe(1);
    const ledger = await records(a).find().sort({ _id: 1 }).toArray();
    expect(ledger.map((r) => [r._id, r.state])).toEqual([
      [m1.id, 'applied'],
      [m2.id, 'applied'],
      [m3.id, 'applied'],
    ]);
    expect(ledger[0].owner).toBe(firstOwner);
    expect(ledger.every((r) => r.leaseUntil === undefined)).toBe(true);
    expect((await a.collection('things').indexes()).map((i) => i.key)).toContainEqual({ code: 1 });
  });

  it("takes over a crashed holder's lease once it has expired, and applies the migration once", async () => {
    const connection = await pod(iso.database('crashed'));
    // What a process that died while applying the migration leaves behind: a lease nobody renews.
    await records(connection).insertOne({
      _id: '2026-02-01-m',
      state: 'running',
      owner: 'pod-that-crashed:1:dead00',
      leaseUntil: new Date(Date.now() + 60_000),
      at: new Date(),
    });
    const migration = counted('2026-02-01-m');
    const setup = new SchemaSetup(connection, { leaseMs: 60_000, pollMs: 20, owner: 'pod-b:2:beef00' });
    setup.registerMigrations([migration]);
    const log: string[] = [];

    const run = setup.run((line) => log.push(line));
    await waitFor('pod-b waiting', () =>
      log.includes(`migration ${migration.id}: waiting for pod-that-crashed:1:dead00, which is applying it`),
    );
    expect(migration.calls).toBe(0); // the lease is still live: nobody applies the migration
    // The lease runs out (as if its minute had passed with no renewal).
    await records(connection).updateOne(
      { _id: migration.id },
      { $set: { leaseUntil: new Date(Date.now() - 1) } },
    );

    await expect(run).resolves.toMatchObject({ migrations: [migration.id] });
    expect(await applications(connection)).toEqual({ [migration.id]: 1 });
    expect(log).toContain(
      `migration ${migration.id}: taking over from pod-that-crashed:1:dead00, whose lease expired`,
    );
    expect(await records(connection).findOne({ _id: migration.id })).toMatchObject({
      state: 'applied',
      owner: 'pod-b:2:beef00',
    });
  });

  it('a record of the old shape (running, no lease) counts as an expired lease', async () => {
    const connection = await pod(iso.database('legacy'));
    await records(connection).insertOne({ _id: '2026-03-01-m', state: 'running', at: new Date() });
    const migration = counted('2026-03-01-m');
    const setup = new SchemaSetup(connection, { pollMs: 20 });
    setup.registerMigrations([migration]);

    await expect(setup.run()).resolves.toMatchObject({ migrations: [migration.id] });
    expect(await applications(connection)).toEqual({ [migration.id]: 1 });
  });

  it('an insert error other than a duplicate key stops the step: it never counts as "claimed"', async () => {
    const connection = await pod(iso.database('refused'));
    // A validator no migration record passes: the claim's insert fails with DocumentValidationFailure.
    await connection.createCollection('_migrations', { validator: { state: 'never' } });
    const migration = counted('2026-04-01-m');
    const setup = new SchemaSetup(connection, { pollMs: 20 });
    setup.registerMigrations([migration]);

    await expect(setup.run()).rejects.toMatchObject({ code: 121 });
    expect(migration.calls).toBe(0);
    expect(await applications(connection)).toEqual({});
  });

  it('a holder whose migration fails gives the lease up at once: a waiting process applies it', async () => {
    const db = iso.database('failed');
    const [a, b] = [await pod(db), await pod(db)];
    // A lease far longer than the test: only giving it up lets the waiting process go on.
    const options = { leaseMs: 10 * 60_000, pollMs: 20 };
    const bLog: string[] = [];
    const migration = counted('2026-05-01-m', async (call) => {
      if (call > 1) return;
      await waitFor('the other process waiting', () => bLog.some((l) => l.includes('waiting for pod-a')));
      throw new Error('the migration failed');
    });
    const setupA = new SchemaSetup(a, { ...options, owner: 'pod-a' });
    const setupB = new SchemaSetup(b, { ...options, owner: 'pod-b' });
    setupA.registerMigrations([migration]);
    setupB.registerMigrations([migration]);

    const runA = setupA.run();
    await waitFor('pod-a holding the lease', () => records(a).findOne({ _id: migration.id, owner: 'pod-a' }));
    const runB = setupB.run((line) => bLog.push(line));

    await expect(runA).rejects.toThrow('the migration failed');
    await expect(runB).resolves.toMatchObject({ migrations: [migration.id] });
    expect(await applications(a)).toEqual({ [migration.id]: 1 });
    expect(await records(a).findOne({ _id: migration.id })).toMatchObject({
      state: 'applied',
      owner: 'pod-b',
    });
  });

  it('a holder that lost its lease while applying does not mark the migration applied over the new owner', async () => {
    const connection = await pod(iso.database('lost'));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const migration = counted('2026-06-01-m', () => released);
    const setup = new SchemaSetup(connection, { leaseMs: 60_000, pollMs: 20, owner: 'pod-stalled' });
    setup.registerMigrations([migration]);

    const run = setup.run();
    await waitFor('the lease held', () =>
      records(connection).findOne({ _id: migration.id, owner: 'pod-stalled' }),
    );
    // As if pod-stalled had stalled past its lease and another process had taken the migration over.
    await records(connection).updateOne({ _id: migration.id }, { $set: { owner: 'pod-new' } });
    release();

    await expect(run).rejects.toThrow(/lost its lease/);
    expect(await records(connection).findOne({ _id: migration.id })).toMatchObject({
      state: 'running',
      owner: 'pod-new',
    });
  });
});
