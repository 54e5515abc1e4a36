import { connect, type ChannelModel } from 'amqplib';
import { TestIsolation, waitFor } from '@lib/testing';
import { coalesceFrameWrites } from './coalesce-frame-writes';

/** Counts the socket writes (syscalls) a connection makes: one per write or writev. */
function countSocketWrites(model: ChannelModel): () => number {
  const socket = (model as unknown as { connection: { stream: Record<string, unknown> } }).connection.stream;
  let writes = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = socket[method] as (...args: unknown[]) => unknown;
    socket[method] = function (this: unknown, ...args: unknown[]) {
      writes++;
      return original.apply(this, args);
    };
  }
  return () => writes;
}

describe('coalesceFrameWrites (real broker)', () => {
  const iso = new TestIsolation('frame-writes');
  const models: ChannelModel[] = [];
  const MESSAGES = 100;

  afterEach(async () => {
    await Promise.all(models.splice(0).map((m) => m.close().catch(() => undefined)));
  });
  afterAll(() => iso.cleanup());

  /** Publishes MESSAGES in one turn to a queue of its own; returns what arrived, in order. */
  async function publishInOneTurn(coalesce: boolean): Promise<{ writes: number; received: string[] }> {
    const model = await connect(iso.infra.rabbitUrl, { noDelay: true });
    models.push(model);
    if (coalesce) expect(coalesceFrameWrites(model)).toBe(true);
    const channel = await model.createChannel();
    const { queue } = await channel.assertQueue(`${iso.namePrefix}${coalesce}`, {
      exclusive: true,
      autoDelete: true,
    });
    const received: string[] = [];
    await channel.consume(queue, (msg) => msg && received.push(msg.content.toString()), { noAck: true });
    const writes = countSocketWrites(model);
    const before = writes();
    for (let i = 0; i < MESSAGES; i++) channel.sendToQueue(queue, Buffer.from(`m${i}`));
    await waitFor(`${MESSAGES} messages`, () => received.length === MESSAGES, 10_000);
    return { writes: writes() - before, received };
  }

  it("sends one turn's frames in one socket write, in order, all delivered", async () => {
    const expected = Array.from({ length: MESSAGES }, (_, i) => `m${i}`);

    const plain = await publishInOneTurn(false);
    const coalesced = await publishInOneTurn(true);

    expect(plain.received).toEqual(expected);
    expect(coalesced.received).toEqual(expected);
    // amqplib alone: a write per publish. Coalesced: the turn's hundred publishes in one writev
    // (a second write only if a heartbeat happened to fall in the same moment).
    expect(plain.writes).toBeGreaterThanOrEqual(MESSAGES);
    expect(coalesced.writes).toBeLessThanOrEqual(2);
  });

  it('says so, and changes nothing, when the connection is not laid out as expected', () => {
    expect(coalesceFrameWrites({} as ChannelModel)).toBe(false);
    expect(coalesceFrameWrites({ connection: { muxer: { out: {} } } } as unknown as ChannelModel)).toBe(
      false,
    );
  });
});
