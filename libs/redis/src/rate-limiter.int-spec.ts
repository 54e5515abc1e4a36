import type { Redis } from 'ioredis';
import { createRedis, RateLimiter, RateLimitDecision } from '@lib/redis';
import { TestIsolation } from '@lib/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** createRedis fails fast while not connected (no offline queue): wait until the client is usable. */
async function ready(redis: Redis): Promise<Redis> {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

describe('RateLimiter (real Redis)', () => {
  const iso = new TestIsolation('ratelimiter');
  /** Prefixed like the app's client: every key this file writes lands under iso.namePrefix. */
  const clients: Redis[] = [];
  /** No prefix: sees the raw key names, to check where the limiter's keys really are. */
  let raw: Redis;

  const LONG_WINDOW = 60_000;
  const SHORT_WINDOW = 300;
  let n = 0;
  /** A limiter name of its own for each test, so tests never share a counter. */
  const freshName = () => `rl${++n}`;
  const limiter = (name: string, limit: number, windowMs: number, client = clients[0]) =>
    new RateLimiter(client, name, limit, windowMs);
  const rawKey = (name: string, key: string) => `${iso.namePrefix}ratelimit:${name}:${key}`;

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      clients.push(await ready(createRedis({ url: iso.infra.redisUrl, keyPrefix: iso.namePrefix })));
    }
    raw = await ready(createRedis({ url: iso.infra.redisUrl }));
  });

  afterAll(async () => {
    await iso.cleanup();
    await Promise.all([...clients, raw].map((c) => c.quit()));
  });

  it('limit 10: 50 concurrent hits over several connections → exactly 10 allowed, 40 refused', async () => {
    const name = freshName();
    // One limiter per connection, as several app instances sharing one Redis would have.
    const limiters = clients.map((c) => limiter(name, 10, LONG_WINDOW, c));

    const decisions = await Promise.all(
      Array.from({ length: 50 }, (_, i) => limiters[i % limiters.length].hit('user-1')),
    );

    const allowed = decisions.filter((d) => d.allowed);
    const refused = decisions.filter((d) => !d.allowed);
    expect(allowed).toHaveLength(10);
    expect(refused).toHaveLength(40);

    // Each allowed hit saw a distinct count 1..10.
    expect(allowed.map((d) => d.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const d of allowed) {
      expect(d.retryAfterSeconds).toBe(0);
      expect(d.remaining).toBe(10 - d.count);
    }
    for (const d of refused) {
      expect(d.count).toBe(10);
      expect(d.remaining).toBe(0);
      expect(Number.isInteger(d.retryAfterSeconds)).toBe(true);
      expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(d.retryAfterSeconds).toBeLessThanOrEqual(LONG_WINDOW / 1000);
    }

    // Refused hits are not recorded: the log holds exactly the 10 allowed ones, under the prefix.
    expect(await raw.zcard(rawKey(name, 'user-1'))).toBe(10);
    expect(await raw.exists(`ratelimit:${name}:user-1`)).toBe(0);
    expect(await raw.keys(`${iso.namePrefix}ratelimit:${name}:*`)).toEqual([rawKey(name, 'user-1')]);
  });

  it('Retry-After of a refused hit is at least 1s and at most the window', async () => {
    const windowMs = 5_000;
    const rl = limiter(freshName(), 2, windowMs);
    await rl.hit('k');
    await rl.hit('k');

    const refused = await rl.hit('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(windowMs / 1000);

    const checked = await rl.check('k');
    expect(checked.allowed).toBe(false);
    expect(checked.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(checked.retryAfterSeconds).toBeLessThanOrEqual(windowMs / 1000);
  });

  it('different keys are independent', async () => {
    const rl = limiter(freshName(), 3, LONG_WINDOW);
    for (let i = 0; i < 3; i++) expect((await rl.hit('alice')).allowed).toBe(true);
    expect((await rl.hit('alice')).allowed).toBe(false);

    const bob = await rl.hit('bob');
    expect(bob).toEqual<RateLimitDecision>({ allowed: true, count: 1, remaining: 2, retryAfterSeconds: 0 });
    expect((await rl.hit('alice')).allowed).toBe(false);
  });

  it('limiters with different names do not share counters for the same key', async () => {
    const logins = limiter(freshName(), 2, LONG_WINDOW);
    const resets = limiter(freshName(), 2, LONG_WINDOW);
    await logins.hit('alice');
    await logins.hit('alice');
    expect((await logins.hit('alice')).allowed).toBe(false);

    expect((await resets.hit('alice')).allowed).toBe(true);
  });

  it('after the window passes, hits are allowed again', async () => {
    const name = freshName();
    const rl = limiter(name, 3, SHORT_WINDOW);
    for (let i = 0; i < 3; i++) expect((await rl.hit('k')).allowed).toBe(true);
    const refused = await rl.hit('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);

    await sleep(SHORT_WINDOW + 150);

    // The log expired with the window; a fresh window starts.
    expect(await raw.exists(rawKey(name, 'k'))).toBe(0);
    const again = await rl.hit('k');
    expect(again).toEqual<RateLimitDecision>({ allowed: true, count: 1, remaining: 2, retryAfterSeconds: 0 });
    expect((await rl.hit('k')).allowed).toBe(true);
    expect((await rl.hit('k')).allowed).toBe(true);
    expect((await rl.hit('k')).allowed).toBe(false);
  });

  it('the window slides: only hits older than the window stop counting', async () => {
    const rl = limiter(freshName(), 2, 1000);
    expect((await rl.hit('k')).allowed).toBe(true);
    await sleep(500);
    expect((await rl.hit('k')).allowed).toBe(true);
    expect((await rl.hit('k')).allowed).toBe(false);

    // The first hit has left the window, the second one has not: one slot is free, not two.
    await sleep(600);
    const d = await rl.hit('k');
    expect(d.allowed).toBe(true);
    expect(d.count).toBe(2);
    expect((await rl.hit('k')).allowed).toBe(false);
    expect((await rl.check('k')).count).toBe(2);
  });

  it('check does not consume: many checks, then hits are still allowed up to the limit', async () => {
    const name = freshName();
    const rl = limiter(name, 3, LONG_WINDOW);

    for (let i = 0; i < 25; i++) {
      expect(await rl.check('k')).toEqual<RateLimitDecision>({
        allowed: true,
        count: 0,
        remaining: 3,
        retryAfterSeconds: 0,
      });
    }
    expect(await raw.exists(rawKey(name, 'k'))).toBe(0);

    for (let i = 1; i <= 3; i++) {
      const d = await rl.hit('k');
      expect(d.allowed).toBe(true);
      expect(d.count).toBe(i);
      // Checking between hits reports the count without adding to it.
      expect((await rl.check('k')).count).toBe(i);
    }
    expect((await rl.hit('k')).allowed).toBe(false);

    const full = await rl.check('k');
    expect(full.allowed).toBe(false);
    expect(full.count).toBe(3);
    expect(full.remaining).toBe(0);
    expect(full.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await raw.zcard(rawKey(name, 'k'))).toBe(3);
  });

  it('reset clears the key: hits are allowed again from zero', async () => {
    const name = freshName();
    const rl = limiter(name, 2, LONG_WINDOW);
    await rl.hit('k');
    await rl.hit('k');
    await rl.hit('other');
    expect((await rl.hit('k')).allowed).toBe(false);

    await rl.reset('k');

    expect(await raw.exists(rawKey(name, 'k'))).toBe(0);
    expect(await rl.check('k')).toEqual<RateLimitDecision>({
      allowed: true,
      count: 0,
      remaining: 2,
      retryAfterSeconds: 0,
    });
    expect((await rl.hit('k')).count).toBe(1);
    expect((await rl.hit('k')).allowed).toBe(true);
    expect((await rl.hit('k')).allowed).toBe(false);
    // Only the reset key was cleared.
    expect((await rl.check('other')).count).toBe(1);
  });

  describe('hitAll: one hit in several limits, all or none', () => {
    it('30 concurrent reservations over several connections, limits 10 and 25 → exactly 10 taken, in both logs', async () => {
      const pairName = freshName();
      const ipName = freshName();
      const decisions = await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          const client = clients[i % clients.length];
          return RateLimiter.hitAll(client, [
            { limiter: limiter(pairName, 10, LONG_WINDOW, client), key: 'alice' },
            { limiter: limiter(ipName, 25, LONG_WINDOW, client), key: '203.0.113.9' },
          ]);
        }),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      expect(decisions.filter((d) => !d.allowed)).toHaveLength(20);
      for (const d of decisions.filter((d) => !d.allowed)) {
        expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(d.retryAfterSeconds).toBeLessThanOrEqual(LONG_WINDOW / 1000);
      }
      // A refused reservation took nothing, in either log.
      expect(await raw.zcard(rawKey(pairName, 'alice'))).toBe(10);
      expect(await raw.zcard(rawKey(ipName, '203.0.113.9'))).toBe(10);
    });

    it('refused when any one limit is full, and nothing is counted in the others', async () => {
      const full = limiter(freshName(), 1, LONG_WINDOW);
      const open = limiter(freshName(), 100, LONG_WINDOW);
      await full.hit('k');
      const d = await RateLimiter.hitAll(clients[0], [
        { limiter: open, key: 'k' },
        { limiter: full, key: 'k' },
      ]);
      expect(d.allowed).toBe(false);
      expect((await open.check('k')).count).toBe(0);
    });

    it('release gives one slot back in the log it is asked of, and only there', async () => {
      const a = limiter(freshName(), 2, LONG_WINDOW);
      const b = limiter(freshName(), 2, LONG_WINDOW);
      const first = await RateLimiter.hitAll(clients[0], [
        { limiter: a, key: 'k' },
        { limiter: b, key: 'k' },
      ]);
      await a.hit('k');
      expect((await a.hit('k')).allowed).toBe(false);

      await a.release('k', first.slot);

      expect((await a.check('k')).count).toBe(1);
      expect((await b.check('k')).count).toBe(1);
      expect((await a.hit('k')).allowed).toBe(true);
    });
  });
});
