import { connect, type ChannelModel } from 'amqplib';
import { Topology } from '@lib/messaging';
import { TestIsolation } from '@lib/testing';

/** A durable queue of this test file bound to the events exchange: what the platform published. */
export class EventTap {
  private constructor(
    private readonly conn: ChannelModel,
    private readonly queue: string,
  ) {}

  /** `name` reopens the same queue (e.g. after a broker restart); a fresh one by default. */
  static async open(
    iso: TestIsolation,
    routingKey: string,
    options: { rabbitUrl?: string; name?: string } = {},
  ): Promise<EventTap> {
    const rabbitUrl = options.rabbitUrl ?? iso.infra.rabbitUrl;
    const topology = new Topology(iso.namePrefix);
    const queue = iso.queue(options.name ?? `tap.${routingKey}.${Math.random().toString(36).slice(2, 8)}`);
    const conn = await connect(rabbitUrl);
    const ch = await conn.createChannel();
    await ch.assertExchange(topology.eventsExchange, 'topic', { durable: true });
    await ch.assertQueue(queue, { durable: true });
    await ch.bindQueue(queue, topology.eventsExchange, routingKey);
    await ch.close();
    return new EventTap(conn, queue);
  }

  /** Takes everything queued so far: payloads with their message ids. */
  async drain(): Promise<Array<{ messageId: string; payload: Record<string, unknown> }>> {
    const ch = await this.conn.createChannel();
    const out: Array<{ messageId: string; payload: Record<string, unknown> }> = [];
    for (
      let m = await ch.get(this.queue, { noAck: true });
      m;
      m = await ch.get(this.queue, { noAck: true })
    ) {
      out.push({ messageId: m.properties.messageId as string, payload: JSON.parse(m.content.toString()) });
    }
    await ch.close();
    return out;
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}
