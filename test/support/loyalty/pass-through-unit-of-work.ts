import { UnitOfWork } from '@lib/persistence';

/**
 * A unit of work for the in-memory adapters: it runs the work, and can't roll anything back. That
 * is enough for a single-threaded test as long as a use case refuses before it writes (a write
 * made before a refusal stays, where MongoDB's transaction would undo it).
 */
export class PassThroughUnitOfWork extends UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
