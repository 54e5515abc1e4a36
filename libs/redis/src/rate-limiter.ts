import type { Redis } from 'ioredis';

export interface RateLimitDecision {
  allowed: boolean;
  count: number;
  remaining: number;
  /** Seconds until the window frees a slot; what a 429 sends as Retry-After. */
  retryAfterSeconds: number;
}

// Sliding logs: one sorted-set member per hit, trimmed to its window. Exact, and atomic in Lua.
// KEYS are the logs; ARGV: now, member, then window and limit per key. One member goes into every
// log or into none: refused when any log is full, with the wait until that log frees a slot.
// Returns {allowed, waitMs, count per key (after the hit when allowed)}.
const HIT_ALL = `
local now = tonumber(ARGV[1])
local counts = {}
local wait = -1
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[1 + 2 * i])
  local limit = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  counts[i] = redis.call('ZCARD', key)
  if counts[i] >= limit then
    local freed = redis.call('ZRANGE', key, counts[i] - limit, counts[i] - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(freed[2]) + window - now)
  end
end
if wait >= 0 then return {0, wait, unpack(counts)} end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[1 + 2 * i]))
  counts[i] = counts[i] + 1
end
return {1, 0, unpack(counts)}`;

const PEEK = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, count, tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1])}
end
return {1, count, 0}`;

/** One key of one limiter, for RateLimiter.hitAll. */
export interface LimitedKey {
  limiter: RateLimiter;
  key: string;
}

/** What hitAll took: `slot` names the hit in every log, to give it back with `release`. */
export interface Reservation {
  allowed: boolean;
  retryAfterSeconds: number;
  slot: string;
}

/**
 * At most `limit` events per key in any `windowMs`, e.g. 100 failed logins per account per hour.
 * `hit` records an event when allowed; `check` only asks, for limits counted on failures.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  async hit(key: string): Promise<RateLimitDecision> {
    const [allowed, waitMs, count] = await hitLogs(this.redis, [{ limiter: this, key }], newSlot());
    return this.decision([allowed, count, waitMs]);
  }

  /**
   * One hit in several limits at once, all taken or none (e.g. failed logins per account and IP
   * and per IP): concurrent callers past any limit are refused, never counted. The limiters must
   * share `redis`.
   */
  static async hitAll(redis: Redis, keys: LimitedKey[]): Promise<Reservation> {
    const slot = newSlot();
    const [allowed, waitMs] = await hitLogs(redis, keys, slot);
    return { allowed: allowed === 1, retryAfterSeconds: retryAfter(allowed, waitMs), slot };
  }

  /** Gives back one hit (a reservation's slot) that turned out not to count. */
  async release(key: string, slot: string): Promise<void> {
    await this.redis.zrem(this.key(key), slot);
  }

  async check(key: string): Promise<RateLimitDecision> {
    const raw = await this.redis.eval(PEEK, 1, this.key(key), Date.now(), this.windowMs, this.limit);
    return this.decision(raw as number[]);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  /** Where this limiter keeps the log of `key`, and how it is bounded: for hitLogs. */
  logOf(key: string): { log: string; windowMs: number; limit: number } {
    return { log: this.key(key), windowMs: this.windowMs, limit: this.limit };
  }

  private key(key: string): string {
    return `ratelimit:${this.name}:${key}`;
  }

  private decision([allowed, count, waitMs]: number[]): RateLimitDecision {
    return {
      allowed: allowed === 1,
      count,
      remaining: Math.max(0, this.limit - count),
      retryAfterSeconds: retryAfter(allowed, waitMs),
    };
  }
}

let seq = 0;
function newSlot(): string {
  return `${Date.now()}-${process.pid}-${++seq}-${Math.random().toString(36).slice(2)}`;
}

function retryAfter(allowed: number, waitMs: number): number {
  return allowed === 1 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
}

async function hitLogs(redis: Redis, keys: LimitedKey[], slot: string): Promise<number[]> {
  const logs = keys.map(({ limiter, key }) => limiter.logOf(key));
  const bounds = logs.flatMap(({ windowMs, limit }) => [windowMs, limit]);
  const names = logs.map(({ log }) => log);
  return (await redis.eval(HIT_ALL, names.length, ...names, Date.now(), slot, ...bounds)) as number[];
}
