import { VerifiedTokenCache } from './verified-token-cache';

describe('verified-token cache', () => {
  it('forgets an entry at its exp', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache<{ expiresAt: number }>(10, () => now);
    cache.set('t', { expiresAt: 1_000 + 60 });
    expect(cache.get('t')).toBeDefined();
    now = 1_060_000;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays within its bound, dropping the oldest entries first', () => {
    const cache = new VerifiedTokenCache<{ expiresAt: number }>(3, () => 0);
    for (const t of ['a', 'b', 'c', 'd']) cache.set(t, { expiresAt: 10 });
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBeDefined();
  });

  it('caches nothing when its size is 0', () => {
    const cache = new VerifiedTokenCache<{ expiresAt: number }>(0, () => 0);
    cache.set('a', { expiresAt: 10 });
    expect(cache.get('a')).toBeUndefined();
  });
});
