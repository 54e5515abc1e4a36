import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientSession, Collection, Document } from 'mongodb';

/**
 * Inserts held back until the transaction is about to commit, then written with one insertMany
 * per collection: a purchase's entry, request record and outbox event, and those of every other
 * unit sharing the transaction (SharedTransactions), cost one command per collection instead of
 * one each. Only for documents the transaction never reads back.
 */
export class DeferredInserts {
  private readonly byCollection = new Map<Collection<Document>, Document[]>();

  add(collection: Collection<Document>, docs: Document[]): void {
    const held = this.byCollection.get(collection);
    if (held) held.push(...docs);
    else this.byCollection.set(collection, [...docs]);
  }

  /** Writes what is held, in the order it was added, inside `session`'s transaction. */
  async flush(session: ClientSession): Promise<void> {
    const batches = [...this.byCollection];
    this.byCollection.clear();
    for (const [collection, docs] of batches) {
      if (docs.length === 1) await collection.insertOne(docs[0], { session });
      else await collection.insertMany(docs, { session, ordered: true });
    }
  }
}

interface Scope {
  session: ClientSession;
  afterCommit: Array<() => void>;
  deferred: DeferredInserts;
}

const scope = new AsyncLocalStorage<Scope>();

/**
 * Carries the open transaction's session to every repository adapter called inside a unit of
 * work, so use cases never pass sessions around and adapters cannot forget to join the transaction.
 */
export const TransactionScope = {
  run<T>(
    session: ClientSession,
    fn: () => Promise<T>,
    afterCommit: Array<() => void>,
    deferred: DeferredInserts = new DeferredInserts(),
  ): Promise<T> {
    return scope.run({ session, afterCommit, deferred }, fn);
  },
  /** The current session, or undefined outside a unit of work. */
  session(): ClientSession | undefined {
    return scope.getStore()?.session;
  },
  /**
   * Runs `fn` once the current transaction has committed (e.g. wake the outbox relay); runs it at
   * once outside a transaction. Never for a rolled-back attempt.
   */
  afterCommit(fn: () => void): void {
    const current = scope.getStore();
    if (current) current.afterCommit.push(fn);
    else fn();
  },
  /**
   * Inserts `docs` when the current transaction commits (in it, before the commit; a duplicate key
   * then fails the whole unit of work, as an immediate insert would). Outside a transaction it
   * inserts at once. For documents nothing in the transaction reads back: the transaction's own
   * reads don't see them until then.
   */
  async insertAtCommit<T extends Document>(collection: Collection<T>, docs: T[]): Promise<void> {
    const current = scope.getStore();
    if (current) current.deferred.add(collection as unknown as Collection<Document>, docs);
    else if (docs.length === 1) await collection.insertOne(docs[0] as never);
    else await collection.insertMany(docs as never[], { ordered: true });
  },
};
