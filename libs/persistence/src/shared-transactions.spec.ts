import { SharedTransactions } from './shared-transactions';

/** A transaction the test ends by hand: which units it ran, and how to let it commit. */
interface Held {
  units: string[];
  commit: () => void;
}

/**
 * When units start a transaction and when they wait to share the next (unit: the transactions
 * are promises the test settles; the real replica set is in shared-transactions.int-spec.ts).
 */
describe('group commit: when a unit waits for company (unit)', () => {
  let held: Held[];
  let alone: string[];

  const sharedTransactions = (options: { maxUnits?: number; maxOpen?: number; maxWaitMs?: number }) =>
    new SharedTransactions(async (works) => {
      const units = await Promise.all(works.map((work) => work() as Promise<string>));
      await new Promise<void>((commit) => held.push({ units, commit }));
      return units;
    }, options);
  const runAlone = async (work: () => Promise<string>) => {
    const unit = await work();
    await new Promise<void>((commit) => held.push({ units: [unit], commit }));
    alone.push(unit);
    return unit;
  };
  const unit = (shared: SharedTransactions, name: string) => shared.run(async () => name, runAlone);
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    held = [];
    alone = [];
  });

  it('starts a lone unit at once, and lets the units that arrive while it is open share the next transaction', async () => {
    const shared = sharedTransactions({ maxOpen: 4, maxWaitMs: 60_000 });
    const first = unit(shared, 'a');
    await settle();
    expect(held.map((t) => t.units)).toEqual([['a']]);

    // Three arrive while it is open: they wait for it rather than open three more transactions.
    const rest = ['b', 'c', 'd'].map((name) => unit(shared, name));
    await settle();
    expect(held.map((t) => t.units)).toEqual([['a']]);

    held[0].commit();
    await expect(first).resolves.toBe('a');
    await settle();
    expect(held.map((t) => t.units)).toEqual([['a'], ['b', 'c', 'd']]);
    held[1].commit();
    await expect(Promise.all(rest)).resolves.toEqual(['b', 'c', 'd']);
  });

  it('starts the waiting units after maxWaitMs when the open transaction takes longer', async () => {
    const shared = sharedTransactions({ maxOpen: 4, maxWaitMs: 30 });
    void unit(shared, 'a');
    await settle();
    const waiting = ['b', 'c'].map((name) => unit(shared, name));
    await settle();
    expect(held).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(held.map((t) => t.units)).toEqual([['a'], ['b', 'c']]);
    held[1].commit();
    await expect(Promise.all(waiting)).resolves.toEqual(['b', 'c']);
  });

  it('starts a full batch at once, and never opens more than maxOpen transactions', async () => {
    const shared = sharedTransactions({ maxUnits: 2, maxOpen: 2, maxWaitMs: 60_000 });
    void unit(shared, 'a');
    await settle();
    void unit(shared, 'b');
    await settle();
    expect(held).toHaveLength(1);
    void unit(shared, 'c');
    await settle();
    expect(held.map((t) => t.units)).toEqual([['a'], ['b', 'c']]);

    // Both open: a full batch waits for one of them to end.
    void unit(shared, 'd');
    void unit(shared, 'e');
    await settle();
    expect(held).toHaveLength(2);
    held[0].commit();
    await settle();
    await settle();
    expect(held.map((t) => t.units)).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    expect(alone).toEqual(['a']);
  });
});
