/**
 * The unit-of-work port: everything done inside `run` commits together or not at all. Use cases
 * depend on this abstract class (it is also the DI token); the Mongo adapter implements it with a
 * replica-set transaction. `work` may run more than once when the database asks for a retry
 * (transient transaction errors), so it must not have side effects outside the database.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
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
