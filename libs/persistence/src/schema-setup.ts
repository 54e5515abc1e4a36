import type { Connection, Model } from 'mongoose';

export interface Migration {
  /** Unique and stable, e.g. `2026-11-25-backfill-x`. Applied once per database, in list order. */
  id: string;
  up(connection: Connection): Promise<void>;
}

/**
 * The explicit schema step (autoIndex is off everywhere): creates each registered collection,
 * builds its declared indexes, then applies pending migrations, recording each in `_migrations`.
 * Safe to run again and from several processes: index builds are idempotent and a migration is
 * claimed by inserting its id under a unique _id before it runs.
 */
export class SchemaSetup {
  private readonly models = new Set<Model<any>>();
  private readonly migrations: Migration[] = [];

  constructor(private readonly connection: Connection) {}

  registerModel(model: Model<any>): void {
    this.models.add(model);
  }

  registerMigrations(migrations: Migration[]): void {
    this.migrations.push(...migrations);
  }

  async run(
    log: (msg: string) => void = () => undefined,
  ): Promise<{ indexes: number; migrations: string[] }> {
    let indexes = 0;
    for (const model of this.models) {
      await model.createCollection().catch((err: { codeName?: string }) => {
        if (err?.codeName !== 'NamespaceExists') throw err;
      });
      const specs = model.schema.indexes();
      if (specs.length > 0) await model.createIndexes();
      indexes += specs.length;
    }
    log(`indexes ready: ${indexes} on ${this.models.size} collections`);
    const applied: string[] = [];
    const ledger = this.connection.collection<{ _id: string; state: string; at: Date }>('_migrations');
    for (const migration of this.migrations) {
      const done = await ledger.findOne({ _id: migration.id });
      if (done?.state === 'applied') continue;
      if (!done) {
        try {
          await ledger.insertOne({ _id: migration.id, state: 'running', at: new Date() });
        } catch {
          continue; // another process claimed it
        }
      }
      log(`migration ${migration.id}: applying`);
      await migration.up(this.connection);
      await ledger.updateOne({ _id: migration.id }, { $set: { state: 'applied', at: new Date() } });
      applied.push(migration.id);
    }
    return { indexes, migrations: applied };
  }
}
