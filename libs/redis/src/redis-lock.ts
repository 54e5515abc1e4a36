import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface HeldLock {
  key: string;
  token: string;
  /** Increases with every acquisition of this key: a store can refuse writes with an older fence. */
  fence: number;
  expiresAt: number;
}

// Take the lock only if free, and bump the fencing counter in the same atomic step.
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0`;

// Delete only our own lock: a holder whose lock expired must not release the next holder's.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** Returns the remaining ms when the token still holds the lock, else -1. */
const CHECK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PTTL', KEYS[1])
end
return -1`;

/** A single-instance Redis lock (SET NX PX with a random token) with a fencing counter. */
export class RedisLock {
  constructor(private readonly redis: Redis) {}

  async acquire(key: string, ttlMs: number): Promise<HeldLock | null> {
    const token = randomBytes(16).toString('base64url');
    // The TTL starts on the server before the reply arrives: count from before sending, never after.
    const sentAt = Date.now();
    const fence = (await this.redis.eval(ACQUIRE, 2, lockKey(key), fenceKey(key), token, ttlMs)) as number;
    if (fence === 0) return null;
    return { key, token, fence, expiresAt: sentAt + ttlMs };
  }

  async release(key: string, token: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, lockKey(key), token)) === 1;
  }

  async extend(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(EXTEND, 1, lockKey(key), token, ttlMs)) === 1;
  }

  /** Milliseconds left on the lock when `token` holds it; null when it doesn't (or expired). */
  async remaining(key: string, token: string): Promise<number | null> {
    const ms = (await this.redis.eval(CHECK, 1, lockKey(key), token)) as number;
    return ms > 0 ? ms : null;
  }
}

// The {hash tag} puts a lock and its fence in one slot, so the acquire script, which touches
// both, also runs on Redis Cluster.
const lockKey = (key: string) => `lock:{${key}}`;
const fenceKey = (key: string) => `lock-fence:{${key}}`;
