import type { Redis } from 'ioredis';
import { createRedis, RedisLock } from '@lib/redis';
import { TestIsolation } from '@lib/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** createRedis fails fast while not connected (no offline queue): wait until the client is usable. */
async function ready(redis: Redis): Promise<Redis> {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

describe('RedisLock (real Redis)', () => {
  const iso = new TestIsolation('redislock');
  /** Prefixed like the app's client: every key this file writes lands under iso.namePrefix. */
  const clients: Redis[] = [];
  /** No prefix: sees the raw key names, to check where the lock's keys really are. */
  let raw: Redis;
  let lock: RedisLock;
  /** Locks on other connections, for contention between separate clients. */
  let others: RedisLock[];

  const SHORT_TTL = 150;
  const LONG_TTL = 30_000;
  let n = 0;
  /** A key of its own for each test. */
  const freshKey = () => `res-${++n}`;

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) {
      clients.push(await ready(createRedis({ url: iso.infra.redisUrl, keyPrefix: iso.namePrefix })));
    }
    raw = await ready(createRedis({ url: iso.infra.redisUrl }));
    lock = new RedisLock(clients[0]);
    others = clients.map((c) => new RedisLock(c));
  });

  afterAll(async () => {
    await iso.cleanup();
    await Promise.all([...clients, raw].map((c) => c.quit()));
  });

  it('acquire returns a token and a fence, and writes both keys under the key prefix', async () => {
    const key = freshKey();
    const held = await lock.acquire(key, LONG_TTL);

    expect(held).not.toBeNull();
    expect(held!.key).toBe(key);
    expect(typeof held!.token).toBe('string');
    expect(held!.token.length).toBeGreaterThanOrEqual(16);
    expect(Number.isInteger(held!.fence)).toBe(true);
    expect(held!.fence).toBeGreaterThanOrEqual(1);

    // The token is what Redis stores, under the prefixed name only.
    expect(await raw.get(`${iso.namePrefix}lock:{${key}}`)).toBe(held!.token);
    expect(await raw.get(`${iso.namePrefix}lock-fence:{${key}}`)).toBe(String(held!.fence));
    expect(await raw.exists(`lock:{${key}}`, `lock-fence:{${key}}`)).toBe(0);
    const pttl = await raw.pttl(`${iso.namePrefix}lock:{${key}}`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(LONG_TTL);

    const listed = await raw.keys(`${iso.namePrefix}*`);
    expect(listed).toEqual(
      expect.arrayContaining([`${iso.namePrefix}lock:{${key}}`, `${iso.namePrefix}lock-fence:{${key}}`]),
    );
  });

  it('two tokens differ between acquisitions', async () => {
    const a = await lock.acquire(freshKey(), LONG_TTL);
    const b = await lock.acquire(freshKey(), LONG_TTL);
    expect(a!.token).not.toBe(b!.token);
  });

  it('a second acquire while the lock is held returns null and leaves the holder in place', async () => {
    const key = freshKey();
    const held = await lock.acquire(key, LONG_TTL);
    expect(held).not.toBeNull();

    await expect(lock.acquire(key, LONG_TTL)).resolves.toBeNull();
    await expect(others[1].acquire(key, LONG_TTL)).resolves.toBeNull();

    expect(await raw.get(`${iso.namePrefix}lock:{${key}}`)).toBe(held!.token);
    expect(await lock.remaining(key, held!.token)).toBeGreaterThan(0);
  });

  it('20 concurrent acquires on one key, over several connections: exactly one wins', async () => {
    const key = freshKey();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => others[i % others.length].acquire(key, LONG_TTL)),
    );

    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(19);
    expect(await raw.get(`${iso.namePrefix}lock:{${key}}`)).toBe(winners[0].token);

    // Losing attempts do not advance the fence: only acquisitions do.
    expect(await lock.release(key, winners[0].token)).toBe(true);
    const next = await lock.acquire(key, LONG_TTL);
    expect(next!.fence).toBe(winners[0].fence + 1);
  });

  it('release by the holder frees the lock for the next caller', async () => {
    const key = freshKey();
    const held = await lock.acquire(key, LONG_TTL);

    await expect(lock.release(key, held!.token)).resolves.toBe(true);
    expect(await raw.exists(`${iso.namePrefix}lock:{${key}}`)).toBe(0);
    expect(await lock.remaining(key, held!.token)).toBeNull();

    const next = await others[1].acquire(key, LONG_TTL);
    expect(next).not.toBeNull();
    expect(next!.token).not.toBe(held!.token);
  });

  it('releasing twice: the second release returns false', async () => {
    const key = freshKey();
    const held = await lock.acquire(key, LONG_TTL);
    await expect(lock.release(key, held!.token)).resolves.toBe(true);
    await expect(lock.release(key, held!.token)).resolves.toBe(false);
  });

  it('release with a wrong token returns false and the lock stays held', async () => {
    const key = freshKey();
    const held = await lock.acquire(key, LONG_TTL);

    await expect(lock.release(key, 'not-the-token')).resolves.toBe(false);
    await expect(lock.release(key, '')).resolves.toBe(false);

    expect(await raw.get(`${iso.namePrefix}lock:{${key}}`)).toBe(held!.token);
    expect(await lock.remaining(key, held!.token)).toBeGreaterThan(0);
    await expect(others[1].acquire(key, LONG_TTL)).resolves.toBeNull();
  });

  it('release of a key nobody holds returns false', async () => {
    await expect(lock.release(freshKey(), 'whatever')).resolves.toBe(false);
  });

  it('after the TTL passes, another caller can acquire', async () => {
    const key = freshKey();
    const first = await lock.acquire(key, SHORT_TTL);
    expect(first).not.toBeNull();

    await sleep(SHORT_TTL + 100);

    expect(await lock.remaining(key, first!.token)).toBeNull();
    const second = await others[1].acquire(key, LONG_TTL);
    expect(second).not.toBeNull();
    expect(second!.fence).toBeGreaterThan(first!.fence);
  });

  it('stale release: an expired holder cannot release the next holder’s lock', async () => {
    const key = freshKey();
    const a = await lock.acquire(key, SHORT_TTL);
    await sleep(SHORT_TTL + 100);
    const b = await others[1].acquire(key, LONG_TTL);
    expect(b).not.toBeNull();

    await expect(lock.release(key, a!.token)).resolves.toBe(false);

    expect(await lock.remaining(key, b!.token)).toBeGreaterThan(0);
    expect(await raw.get(`${iso.namePrefix}lock:{${key}}`)).toBe(b!.token);
    await expect(others[2].acquire(key, LONG_TTL)).resolves.toBeNull();
    await expect(others[1].release(key, b!.token)).resolves.toBe(true);
  });

  it('the fence strictly increases across successive acquisitions of a key', async () => {
    const key = freshKey();
    const fences: number[] = [];
    for (let i = 0; i < 5; i++) {
      const held = await others[i % others.length].acquire(key, LONG_TTL);
      fences.push(held!.fence);
      expect(await others[i % others.length].release(key, held!.token)).toBe(true);
    }
    // Also across an expiry rather than a release.
    const a = await lock.acquire(key, SHORT_TTL);
    await sleep(SHORT_TTL + 100);
    const b = await others[1].acquire(key, LONG_TTL);
    fences.push(a!.fence, b!.fence);

    for (let i = 1; i < fences.length; i++) expect(fences[i]).toBeGreaterThan(fences[i - 1]);
    expect(a!.fence).toBeLessThan(b!.fence);
  });

  it('fences are counted per key', async () => {
    const k1 = freshKey();
    const k2 = freshKey();
    const a = await lock.acquire(k1, LONG_TTL);
    await lock.release(k1, a!.token);
    const b = await lock.acquire(k1, LONG_TTL);
    const c = await lock.acquire(k2, LONG_TTL);
    expect(b!.fence).toBe(a!.fence + 1);
    expect(c!.fence).toBe(1);
  });

  it('extend by the holder pushes the expiry out, so the lock outlives its first TTL', async () => {
    const key = freshKey();
    const held = await lock.acquire(key, SHORT_TTL);

    await expect(lock.extend(key, held!.token, LONG_TTL)).resolves.toBe(true);
    const left = await lock.remaining(key, held!.token);
    expect(left).toBeGreaterThan(SHORT_TTL);
    expect(left).toBeLessThanOrEqual(LONG_TTL);

    await sleep(SHORT_TTL + 100);
    expect(await lock.remaining(key, held!.token)).toBeGreaterThan(0);
    await expect(others[1].acquire(key, LONG_TTL)).resolves.toBeNull();
  });

  it('extend with a stale token fails and leaves the current holder’s lock alone', async () => {
    const key = freshKey();
    const a = await lock.acquire(key, SHORT_TTL);
    await sleep(SHORT_TTL + 100);

    // Expired and free: extending must not resurrect it.
    await expect(lock.extend(key, a!.token, LONG_TTL)).resolves.toBe(false);
    expect(await raw.exists(`${iso.namePrefix}lock:{${key}}`)).toBe(0);

    const b = await others[1].acquire(key, 5_000);
    await expect(lock.extend(key, a!.token, LONG_TTL)).resolves.toBe(false);
    await expect(lock.extend(key, 'wrong', LONG_TTL)).resolves.toBe(false);

    // B's expiry is still B's own (≤ 5s), not the 30s the stale holder asked for.
    const left = await lock.remaining(key, b!.token);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(5_000);
    expect(await raw.get(`${iso.namePrefix}lock:{${key}}`)).toBe(b!.token);
  });

  it('remaining is the time left for the holder and null for a wrong token', async () => {
    const key = freshKey();
    const held = await lock.acquire(key, LONG_TTL);

    const left = await lock.remaining(key, held!.token);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(LONG_TTL);

    await expect(lock.remaining(key, 'wrong-token')).resolves.toBeNull();
    await expect(lock.remaining(freshKey(), held!.token)).resolves.toBeNull();
  });

  it('expiresAt never promises more than Redis grants, even when the round trip is slow', async () => {
    // Make the clock jump 1s while the request is in flight: the lock's TTL started on the server
    // before the reply came back, so expiresAt must be counted from before the request.
    const realNow = Date.now.bind(Date);
    let skew = 0;
    const nowSpy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
    const client = clients[3];
    const realEval = client.eval.bind(client);
    const evalSpy = jest.spyOn(client, 'eval').mockImplementation(async (...args: unknown[]) => {
      const reply = await (realEval as (...a: unknown[]) => Promise<unknown>)(...args);
      skew += 1000;
      return reply;
    });
    try {
      const before = Date.now();
      const held = await others[3].acquire(freshKey(), LONG_TTL);
      expect(held).not.toBeNull();
      expect(held!.expiresAt).toBeGreaterThanOrEqual(before + LONG_TTL);
      expect(held!.expiresAt).toBeLessThan(before + LONG_TTL + 1000);
    } finally {
      evalSpy.mockRestore();
      nowSpy.mockRestore();
    }
  });
});
