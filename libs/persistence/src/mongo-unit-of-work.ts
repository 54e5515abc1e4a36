import type { ClientSession } from 'mongodb';
import type { Connection } from 'mongoose';
import { translateMongoError } from './mongo-errors';
import { SharedTransactions, type SharedTransactionOptions } from './shared-transactions';
import { DeferredInserts, TransactionScope } from './transaction-scope';
import { UnitOfWork } from './unit-of-work';

const TRANSACTION_OPTIONS = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
  readPreference: 'primary',
} as const;

/**
 * Runs work in a MongoDB transaction with majority write concern and snapshot reads, through the
 * driver's withTransaction, which retries TransientTransactionError and unknown commit results.
 * Nested calls join the outer transaction instead of opening a second one. Inserts deferred to
 * the commit (TransactionScope.insertAtCommit) are written just before it.
 */
export class MongoUnitOfWork extends UnitOfWork {
  private readonly shared: SharedTransactions;

  constructor(
    private readonly connection: Connection,
    options: SharedTransactionOptions = {},
  ) {
    super();
    this.shared = new SharedTransactions((works) => this.runTogether(works), options);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (TransactionScope.session()) return work();
    const [result] = await this.runTogether([work]);
    return result;
  }

  override runShared<T>(work: () => Promise<T>): Promise<T> {
    if (TransactionScope.session()) return work();
    return this.shared.run(work, (alone) => this.run(alone));
  }

  /** One transaction for all of `works`, one after another; their results in order. */
  private async runTogether<T>(works: Array<() => Promise<T>>): Promise<T[]> {
    const session = await this.connection.startSession();
    try {
      let results: T[] = [];
      let afterCommit: Array<() => void> = [];
      await session.withTransaction(async () => {
        // A retried attempt starts with a clean slate.
        afterCommit = [];
        results = await runAll(session, works, afterCommit);
      }, TRANSACTION_OPTIONS);
      for (const fn of afterCommit) fn();
      return results;
    } catch (err) {
      throw translateMongoError(err);
    } finally {
      await session.endSession();
    }
  }
}

async function runAll<T>(
  session: ClientSession,
  works: Array<() => Promise<T>>,
  afterCommit: Array<() => void>,
): Promise<T[]> {
  const deferred = new DeferredInserts();
  const results: T[] = [];
  for (const work of works) results.push(await TransactionScope.run(session, work, afterCommit, deferred));
  await deferred.flush(session);
  return results;
}
