import type { EventPayloads } from '@lib/contracts';
import { Outbox } from '@lib/messaging';

export interface RecordedEvent<N extends keyof EventPayloads = keyof EventPayloads> {
  name: N;
  payload: EventPayloads[N];
}

/** An outbox that keeps what it is given, in order, for tests to read (nothing is relayed). */
export class InMemoryOutbox extends Outbox {
  readonly events: RecordedEvent[] = [];

  async add<N extends keyof EventPayloads>(name: N, payload: EventPayloads[N]): Promise<void> {
    this.events.push({ name, payload: structuredClone(payload) });
  }
}
