import type { Delivery } from '../domain/delivery';

interface Lane {
  queue: Delivery[];
  active: number;
}

/**
 * One lane per endpoint, each with its own concurrency limit: a slow or dead receiver fills its
 * own lane and nobody else's. A lane also holds at most `maxHeld` deliveries (queued and in
 * flight); past that they stay unclaimed in MongoDB until the lane drains, so memory stays bounded
 * whatever a receiver does.
 */
export class DeliveryLanes {
  private readonly lanes = new Map<string, Lane>();
  private inFlight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    readonly maxHeld: number,
    private readonly attempt: (delivery: Delivery) => Promise<void>,
    /** Called as a lane runs down to half its room or less, so that more can be claimed at once. */
    private readonly onLow: (webhookId: string) => void = () => undefined,
  ) {}

  /** How many more deliveries the endpoint's lane takes now. */
  room(webhookId: string): number {
    const lane = this.lanes.get(webhookId);
    return lane ? Math.max(0, this.maxHeld - lane.queue.length - lane.active) : this.maxHeld;
  }

  add(deliveries: Delivery[]): void {
    for (const delivery of deliveries) {
      let lane = this.lanes.get(delivery.webhookId);
      if (!lane) {
        lane = { queue: [], active: 0 };
        this.lanes.set(delivery.webhookId, lane);
      }
      lane.queue.push(delivery);
      this.pump(delivery.webhookId, lane);
    }
  }

  /** Takes every queued (not yet started) delivery out, e.g. to give their claims back at shutdown. */
  drainQueued(): Delivery[] {
    const out: Delivery[] = [];
    for (const lane of this.lanes.values()) out.push(...lane.queue.splice(0));
    return out;
  }

  /** Resolves when no attempt is in flight. */
  settled(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(webhookId: string, lane: Lane): void {
    while (lane.active < this.concurrency && lane.queue.length) {
      const delivery = lane.queue.shift()!;
      lane.active++;
      this.inFlight++;
      void this.attempt(delivery).finally(() => {
        lane.active--;
        this.inFlight--;
        if (!lane.active && !lane.queue.length) this.lanes.delete(webhookId);
        else this.pump(webhookId, lane);
        if (lane.queue.length + lane.active <= this.maxHeld / 2) this.onLow(webhookId);
        if (!this.inFlight) this.idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }
}
