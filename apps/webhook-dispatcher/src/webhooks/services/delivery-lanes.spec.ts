import type { Delivery } from '../domain/delivery';
import { DeliveryLanes } from './delivery-lanes';

const delivery = (webhookId: string, n: number) =>
  ({ webhookId, deliveryId: `${webhookId}-${n}` }) as Delivery;

/** Attempts that finish only when the test says so. */
function controlledAttempts() {
  const running = new Map<string, () => void>();
  const attempt = (d: Delivery) => new Promise<void>((resolve) => running.set(d.deliveryId, resolve));
  const finish = async (id: string) => {
    running.get(id)!();
    running.delete(id);
    await new Promise((r) => setImmediate(r));
  };
  return { running, attempt, finish };
}

describe('DeliveryLanes', () => {
  it('runs at most `concurrency` attempts per endpoint, and starts the next as one finishes', async () => {
    const { running, attempt, finish } = controlledAttempts();
    const lanes = new DeliveryLanes(2, 10, attempt);
    lanes.add([1, 2, 3, 4].map((n) => delivery('a', n)));
    expect([...running.keys()]).toEqual(['a-1', 'a-2']);
    expect(lanes.room('a')).toBe(6);
    await finish('a-1');
    expect([...running.keys()]).toEqual(['a-2', 'a-3']);
  });

  it("one endpoint's stuck attempts never hold another's", () => {
    const { running, attempt } = controlledAttempts();
    const lanes = new DeliveryLanes(2, 10, attempt);
    lanes.add([1, 2, 3, 4, 5].map((n) => delivery('stuck', n)));
    lanes.add([1, 2].map((n) => delivery('ok', n)));
    expect([...running.keys()].filter((id) => id.startsWith('ok'))).toEqual(['ok-1', 'ok-2']);
    expect(lanes.room('stuck')).toBe(5);
    expect(lanes.room('ok')).toBe(8);
  });

  it('asks for more when a lane runs down to half, and hands back what was queued at shutdown', async () => {
    const { attempt, finish } = controlledAttempts();
    const low: string[] = [];
    const lanes = new DeliveryLanes(1, 4, attempt, (id) => low.push(id));
    lanes.add([1, 2, 3, 4].map((n) => delivery('a', n)));
    await finish('a-1');
    expect(low).toEqual([]);
    await finish('a-2');
    expect(low).toEqual(['a']);
    expect(lanes.drainQueued().map((d) => d.deliveryId)).toEqual(['a-4']);
    const settled = lanes.settled();
    await finish('a-3');
    await expect(settled).resolves.toBeUndefined();
  });
});
