import type { Connection } from 'mongoose';
import { translateMongoError } from './mongo-errors';
import { TransactionScope } from './transaction-scope';
import { UnitOfWork } from './unit-of-work';

/**
 * Runs work in a MongoDB transaction with majority write concern and snapshot reads, through the
 * driver's withTransaction, which retries TransientTransactionError and unknown commit results.
 * Nested calls join the outer transaction instead of opening a second one.
 */
export class MongoUnitOfWork extends UnitOfWork {
  constructor(private readonly connection: Connection) {
    super();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (TransactionScope.session()) return work();
    const session = await this.connection.startSession();
    try {
      let result: T | undefined;
      let afterCommit: Array<() => void> = [];
      await session.withTransaction(
        async () => {
          afterCommit = []; // a retried attempt starts with a clean slate
          result = await TransactionScope.run(session, work, afterCommit);
        },
        {
          readConcern: { level: 'snapshot' },
          writeConcern: { w: 'majority' },
          readPreference: 'primary',
        },
      );
      for (const fn of afterCommit) fn();
      return result as T;
    } catch (err) {
      throw translateMongoError(err);
    } finally {
      await session.endSession();
    }
  }
}
