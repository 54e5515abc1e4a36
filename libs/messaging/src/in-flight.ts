import type { Channel } from 'amqplib';

/**
 * Counts messages being worked on, so shutdown can stop deliveries, let the current ones finish
 * (and be acked: no redelivery, no lost reply), and only then close the channels.
 */
export class InFlight {
  private count = 0;
  private idle: Array<() => void> = [];

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      if (--this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Resolves when nothing is in flight, or after timeoutMs (a stuck handler must not block exit). */
  async drained(timeoutMs: number): Promise<void> {
    if (this.count === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
  }
}

export interface Subscription {
  channel: Channel;
  consumerTag: string;
}

/** Cancel deliveries first, drain, then close: in-flight messages still get acked and answered. */
export async function closeGracefully(subscriptions: Subscription[], inFlight: InFlight, timeoutMs: number) {
  await Promise.all(subscriptions.map((s) => s.channel.cancel(s.consumerTag).catch(() => undefined)));
  await inFlight.drained(timeoutMs);
  await Promise.all(subscriptions.map((s) => s.channel.close().catch(() => undefined)));
}
