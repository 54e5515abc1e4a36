import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientSession } from 'mongoose';

interface Scope {
  session: ClientSession;
  afterCommit: Array<() => void>;
}

const scope = new AsyncLocalStorage<Scope>();

/**
 * Carries the open transaction's session to every repository adapter called inside a unit of
 * work, so use cases never pass sessions around and adapters cannot forget to join the transaction.
 */
export const TransactionScope = {
  run<T>(session: ClientSession, fn: () => Promise<T>, afterCommit: Array<() => void>): Promise<T> {
    return scope.run({ session, afterCommit }, fn);
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
};
