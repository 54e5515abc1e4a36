import { AsyncLocalStorage } from 'node:async_hooks';
import type { AnyBulkWriteOperation, ClientSession, Collection, Document } from 'mongodb';

type Counters = Record<string, number>;
interface HeldIncrement {
  chooseId: () => string;
  delta: Counters;
}

/**
 * Writes held back until the transaction is about to commit:
 * - inserts, written with one insertMany per collection: a purchase's entry, request record and
 *   outbox event, and those of every other unit sharing the transaction (SharedTransactions), cost
 *   one command per collection instead of one each;
 * - counter increments, summed per key and written once per transaction: sixteen assignments
 *   sharing a transaction bump their book's counters with one update, not sixteen;
 * - single-document updates, kept in order and written with one bulkWrite per collection: each
 *   unit's own conditional update (a member's slot), whose refusal (a duplicate key) then fails
 *   the whole transaction at commit, as it would have failed its unit at once.
 * Only for documents the transaction never reads back.
 */
export class DeferredWrites {
  private readonly inserts = new Map<Collection<Document>, Document[]>();
  private readonly increments = new Map<Collection<Document>, Map<string, HeldIncrement>>();
  private readonly updates = new Map<Collection<Document>, AnyBulkWriteOperation<Document>[]>();

  add(collection: Collection<Document>, docs: Document[]): void {
    const held = this.inserts.get(collection);
    if (held) held.push(...docs);
    else this.inserts.set(collection, [...docs]);
  }

  increment(collection: Collection<Document>, key: string, chooseId: () => string, delta: Counters): void {
    let byKey = this.increments.get(collection);
    if (!byKey) this.increments.set(collection, (byKey = new Map()));
    const held = byKey.get(key);
    if (!held) byKey.set(key, { chooseId, delta: { ...delta } });
    else for (const [field, n] of Object.entries(delta)) held.delta[field] = (held.delta[field] ?? 0) + n;
  }

  update(collection: Collection<Document>, operation: AnyBulkWriteOperation<Document>): void {
    const held = this.updates.get(collection);
    if (held) held.push(operation);
    else this.updates.set(collection, [operation]);
  }

  /** Writes what is held (inserts and updates in the order they were added) inside `session`'s transaction. */
  async flush(session: ClientSession): Promise<void> {
    const inserts = [...this.inserts];
    const updates = [...this.updates];
    const increments = [...this.increments];
    this.inserts.clear();
    this.updates.clear();
    this.increments.clear();
    for (const [collection, docs] of inserts) {
      if (docs.length === 1) await collection.insertOne(docs[0], { session });
      else await collection.insertMany(docs, { session, ordered: true });
    }
    for (const [collection, operations] of updates) {
      await collection.bulkWrite(operations, { session, ordered: true });
    }
    for (const [collection, byKey] of increments) {
      const updates = [...byKey.values()].map(({ chooseId, delta }) => ({
        updateOne: { filter: { _id: chooseId() as never }, update: { $inc: delta } },
      }));
      if (updates.length === 1) {
        const { filter, update } = updates[0].updateOne;
        await collection.updateOne(filter, update, { session });
      } else await collection.bulkWrite(updates, { session, ordered: true });
    }
  }
}

interface Scope {
  session: ClientSession;
  afterCommit: Array<() => void>;
  deferred: DeferredWrites;
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
    deferred: DeferredWrites = new DeferredWrites(),
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
  /**
   * Runs `operation` (an updateOne, e.g. a conditional upsert) when the current transaction
   * commits: the operations of every unit sharing the transaction go to the collection in one
   * bulkWrite, in the order they were added; an error (a duplicate key) fails the transaction, so
   * each unit runs again alone and the one refused gets the error itself. Outside a transaction
   * it runs at once. For documents nothing in the transaction reads back.
   */
  async updateAtCommit<T extends Document>(
    collection: Collection<T>,
    operation: AnyBulkWriteOperation<T>,
  ): Promise<void> {
    const current = scope.getStore();
    if (current) {
      current.deferred.update(
        collection as unknown as Collection<Document>,
        operation as AnyBulkWriteOperation<Document>,
      );
    } else await collection.bulkWrite([operation], { ordered: true });
  },
  /**
   * Adds `delta` to counters of the document `chooseId()` names, when the current transaction
   * commits: the deltas of every unit sharing the transaction under the same `key` are summed and
   * written once, to the one document chosen for them (chooseId is called once per key and
   * transaction; e.g. one of a counter's shards). Outside a transaction it writes at once. For
   * counters nothing in the transaction reads back.
   */
  async incrementAtCommit(
    collection: Collection<any>,
    key: string,
    chooseId: () => string,
    delta: Record<string, number>,
  ): Promise<void> {
    const current = scope.getStore();
    if (current) current.deferred.increment(collection as Collection<Document>, key, chooseId, delta);
    else await collection.updateOne({ _id: chooseId() }, { $inc: delta });
  },
};
