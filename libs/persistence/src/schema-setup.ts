import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import { isDuplicateKeyError } from './mongo-errors';

export interface Migration {
  /** Unique and stable, e.g. `2026-11-25-backfill-x`. Applied once per database, in list order. */
  id: string;
  /**
   * Must be safe to run again from the start: a process that dies while applying it leaves its
   * lease to expire, and the next process applies the migration again, whole.
   */
  up(connection: Connection): Promise<void>;
}

export interface MigrationLeaseOptions {
  /** How long a claim on a migration lasts unless renewed; the holder renews every third of it. */
  leaseMs?: number;
  /** How often a process waiting for another's migration looks at it again. */
  pollMs?: number;
  /** Recorded as the lease's `owner`; unique per process by default (`host:pid:random`). */
  owner?: string;
}

/**
 * One document per migration in `_migrations`. `running` is a lease: `owner` holds it until
 * `leaseUntil`, renewing it while it applies the migration; after that anyone may take it over.
 */
export interface MigrationRecord {
  _id: string;
  state: 'running' | 'applied';
  owner?: string | null;
  leaseUntil?: Date | null;
  /** When the state or the owner last changed. */
  at: Date;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_POLL_MS = 1_000;

/**
 * The explicit schema step (autoIndex is off everywhere): creates each registered collection,
 * builds its declared indexes, then applies pending migrations, recording each in `_migrations`.
 *
 * Safe to run from several processes at once. Index builds are idempotent. A migration is
 * claimed by inserting its record under its unique `_id`: only a duplicate-key error means that
 * another process claimed it first (any other error stops the step). The claimant holds a lease,
 * renewed while it applies the migration; the others wait, polling, until the record says
 * `applied`, or until the lease runs out (its holder died), when one of them takes it over with a
 * conditional update and applies the migration itself.
 */
export class SchemaSetup {
  private readonly models = new Set<Model<any>>();
  private readonly migrations: Migration[] = [];
  private readonly leaseMs: number;
  private readonly pollMs: number;
  readonly owner: string;
  private runAtStart = true;

  constructor(
    private readonly connection: Connection,
    options: MigrationLeaseOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  registerModel(model: Model<any>): void {
    this.models.add(model);
  }

  registerMigrations(migrations: Migration[]): void {
    this.migrations.push(...migrations);
  }

  /**
   * The deployment runs the schema step on its own (the `migrate` command, as the Helm chart's
   * migration Job does), so the app's start leaves it alone (MIGRATE_ON_START=false).
   */
  leaveToMigrateCommand(): void {
    this.runAtStart = false;
  }

  get runsAtStart(): boolean {
    return this.runAtStart;
  }

  /** Ids of the registered migrations not yet applied to this database. */
  async pendingMigrations(): Promise<string[]> {
    const ids = this.migrations.map((m) => m.id);
    if (ids.length === 0) return [];
    const applied = await this.ledger()
      .find({ _id: { $in: ids }, state: 'applied' }, { projection: { _id: 1 } })
      .toArray();
    const done = new Set(applied.map((r) => r._id));
    return ids.filter((id) => !done.has(id));
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
    for (const migration of this.migrations) {
      if (await this.applyOnce(migration, log)) applied.push(migration.id);
    }
    return { indexes, migrations: applied };
  }

  /** Applies the migration unless it is applied already or another process applies it: true if this one did. */
  private async applyOnce(migration: Migration, log: (msg: string) => void): Promise<boolean> {
    const ledger = this.ledger();
    let waitingFor: string | undefined;
    for (;;) {
      const record = await ledger.findOne({ _id: migration.id });
      if (record?.state === 'applied') return false;
      if (!record) {
        if (await this.claim(ledger, migration.id)) break;
        continue; // claimed by another process a moment ago: read its lease
      }
      if (!record.leaseUntil || record.leaseUntil.getTime() <= Date.now()) {
        if (await this.takeOver(ledger, record)) {
          log(
            `migration ${migration.id}: taking over from ${record.owner ?? 'an unknown process'}, whose lease expired`,
          );
          break;
        }
        continue; // someone else took it over, or its holder renewed just now
      }
      if (waitingFor !== record.owner) {
        waitingFor = record.owner ?? undefined;
        log(`migration ${migration.id}: waiting for ${record.owner}, which is applying it`);
      }
      await sleep(this.pollMs);
    }
    await this.applyHoldingLease(ledger, migration, log);
    return true;
  }

  private async claim(ledger: Collection<MigrationRecord>, id: string): Promise<boolean> {
    try {
      await ledger.insertOne({
        _id: id,
        state: 'running',
        owner: this.owner,
        leaseUntil: this.leaseEnd(),
        at: new Date(),
      });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Only if the record still holds the expired lease that was read: one process wins it. */
  private async takeOver(ledger: Collection<MigrationRecord>, expired: MigrationRecord): Promise<boolean> {
    const { matchedCount } = await ledger.updateOne(
      {
        _id: expired._id,
        state: 'running',
        owner: expired.owner ?? null,
        leaseUntil: expired.leaseUntil ?? null,
      },
      { $set: { owner: this.owner, leaseUntil: this.leaseEnd(), at: new Date() } },
    );
    return matchedCount === 1;
  }

  private async applyHoldingLease(
    ledger: Collection<MigrationRecord>,
    migration: Migration,
    log: (msg: string) => void,
  ): Promise<void> {
    const mine = { _id: migration.id, owner: this.owner, state: 'running' as const };
    const lease = this.renewWhileRunning(ledger, mine, log);
    log(`migration ${migration.id}: applying`);
    try {
      await migration.up(this.connection);
    } catch (err) {
      await lease.stop();
      // Give the lease up at once, so a waiting process tries the migration without waiting it out.
      await ledger
        .updateOne(mine, { $set: { leaseUntil: new Date(0), at: new Date() } })
        .catch(() => undefined);
      throw err;
    }
    await lease.stop();
    const { matchedCount } = await ledger.updateOne(mine, {
      $set: { state: 'applied', at: new Date() },
      $unset: { leaseUntil: '' },
    });
    if (matchedCount !== 1) {
      throw new Error(
        `migration ${migration.id}: applied, but this process lost its lease meanwhile (it could not ` +
          `renew it for ${this.leaseMs} ms) and another process took the migration over`,
      );
    }
  }

  /** Renews the lease every third of its length until stopped; stop() waits for a renewal in flight. */
  private renewWhileRunning(
    ledger: Collection<MigrationRecord>,
    mine: { _id: string; owner: string; state: 'running' },
    log: (msg: string) => void,
  ): { stop(): Promise<void> } {
    let inFlight: Promise<void> | undefined;
    const timer = setInterval(
      () => {
        if (inFlight) return; // the last renewal is still on its way: one at a time
        inFlight = ledger
          .updateOne(mine, { $set: { leaseUntil: this.leaseEnd() } })
          .then(
            ({ matchedCount }) => {
              if (matchedCount !== 1) log(`migration ${mine._id}: lease lost to another process`);
            },
            (err: Error) =>
              log(`migration ${mine._id}: could not renew the lease (${err.message}); retrying`),
          )
          .finally(() => (inFlight = undefined));
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await inFlight;
      },
    };
  }

  private leaseEnd(): Date {
    return new Date(Date.now() + this.leaseMs);
  }

  private ledger(): Collection<MigrationRecord> {
    return this.connection.collection<MigrationRecord>('_migrations');
  }
}
