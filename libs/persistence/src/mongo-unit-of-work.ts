import type { ClientSession, MongoError } from 'mongodb';
import type { Connection } from 'mongoose';
import { translateMongoError } from './mongo-errors';
import { SharedTransactions, type SharedTransactionOptions } from './shared-transactions';
import { DeferredWrites, TransactionScope } from './transaction-scope';
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
    const session = await this.connection.startSession();
    try {
      let result: T | undefined;
      let afterCommit: Array<() => void> = [];
      await session.withTransaction(async () => {
        // A retried attempt starts with a clean slate.
        afterCommit = [];
        [result] = await runAll(session, [work], afterCommit);
      }, TRANSACTION_OPTIONS);
      for (const fn of afterCommit) fn();
      return result as T;
    } catch (err) {
      throw translateMongoError(err);
    } finally {
      await session.endSession();
    }
  }

  override runShared<T>(work: () => Promise<T>): Promise<T> {
    if (TransactionScope.session()) return work();
    return this.shared.run(work, (alone) => this.run(alone));
  }

  /**
   * One attempt at one transaction for all of `works`, one after another; their results in
   * order. No retry of the whole: a write conflict with another replica, an election, anything
   * fails it at once, and SharedTransactions runs each unit alone (with withTransaction's
   * retries). Retrying a whole shared transaction instead could keep 16 groups waiting for as long
   * as its conflicts last. Only the commit is retried when its outcome is unknown; if it stays
   * unknown the units run again alone, and a unit that did commit finds its own unique key then
   * (IdempotentCommands answers it as a replay).
   */
  private async runTogether<T>(works: Array<() => Promise<T>>): Promise<T[]> {
    const session = await this.connection.startSession();
    try {
      const afterCommit: Array<() => void> = [];
      session.startTransaction(TRANSACTION_OPTIONS);
      let results: T[];
      try {
        results = await runAll(session, works, afterCommit);
      } catch (err) {
        await session.abortTransaction().catch(() => undefined);
        throw err;
      }
      await commitWithRetry(session);
      for (const fn of afterCommit) fn();
      return results;
    } finally {
      await session.endSession();
    }
  }
}

/** commitTransaction, again while its outcome is unknown (a few times: it is idempotent). */
async function commitWithRetry(session: ClientSession): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await session.commitTransaction();
      return;
    } catch (err) {
      const unknown = (err as MongoError).hasErrorLabel?.('UnknownTransactionCommitResult');
      if (!unknown || attempt >= 3) throw err;
    }
  }
}

async function runAll<T>(
  session: ClientSession,
  works: Array<() => Promise<T>>,
  afterCommit: Array<() => void>,
): Promise<T[]> {
  const deferred = new DeferredWrites();
  const results: T[] = [];
  for (const work of works) results.push(await TransactionScope.run(session, work, afterCommit, deferred));
  await deferred.flush(session);
  return results;
}
