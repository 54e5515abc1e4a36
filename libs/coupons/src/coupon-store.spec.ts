import { STATS_SHARDS, nextStatsShard, statsShardId } from './coupon-store';

describe('book counter shards', () => {
  it("nextStatsShard goes round every one of the book's shards before it repeats one", () => {
    const drawn = Array.from({ length: STATS_SHARDS }, () => nextStatsShard('book'));
    expect(new Set(drawn).size).toBe(STATS_SHARDS);
    const all = new Set(Array.from({ length: STATS_SHARDS }, (_, i) => statsShardId('book', i)));
    expect(drawn.filter((id) => !all.has(id))).toEqual([]);
    // The next round starts over in the same order.
    expect(nextStatsShard('book')).toBe(drawn[0]);
  });
});
