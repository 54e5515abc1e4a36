import type { EventPayloads } from '@lib/contracts';

/**
 * The outbox port. `add` stores an event in the same unit of work as the state change that caused
 * it, so the event exists exactly when the change does; the relay publishes it afterwards.
 * Must be called inside UnitOfWork.run.
 */
export abstract class Outbox {
  abstract add<N extends keyof EventPayloads>(name: N, payload: EventPayloads[N]): Promise<void>;
}
