/**
 * The unit-of-work port: everything done inside `run` commits together or not at all. Use cases
 * depend on this abstract class (it is also the DI token); the Mongo adapter implements it with a
 * replica-set transaction. `work` may run more than once when the database asks for a retry
 * (transient transaction errors), so it must not have side effects outside the database.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;

  /**
   * Like `run`, but the work may share its transaction with other units that arrive at the same
   * moment (group commit: one commit and one insert per collection for all of them). Each unit is
   * still all or nothing: when any unit of a shared transaction fails, or it cannot commit, every
   * unit runs again alone. So the same rule holds: `work` may run more than once; and since a
   * shared commit whose outcome stays unknown also sends its units to run alone, a unit must be
   * idempotent by a unique key it writes (a request record), which a second run runs into. Units of one
   * shared transaction run one after another, so they must not wait for each other (callers give
   * it units on different aggregates, e.g. one per group).
   */
  runShared<T>(work: () => Promise<T>): Promise<T> {
    return this.run(work);
  }
}

/** A unique constraint said no: the business id (or username, code, ...) already exists. */
export class UniqueViolation extends Error {
  constructor(
    readonly collection: string,
    readonly key: Record<string, unknown>,
  ) {
    super(`duplicate key in ${collection}: ${JSON.stringify(key)}`);
    this.name = 'UniqueViolation';
  }
}
