import type { Redis } from 'ioredis';

export interface RateLimitDecision {
  allowed: boolean;
  count: number;
  remaining: number;
  /** Seconds until the window frees a slot; what a 429 sends as Retry-After. */
  retryAfterSeconds: number;
}

// Sliding log: one sorted-set member per hit, trimmed to the window. Exact, and atomic in Lua.
const HIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, count, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return {1, count + 1, 0}`;

const PEEK = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, count, tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1])}
end
return {1, count, 0}`;

/**
 * At most `limit` events per key in any `windowMs`, e.g. 100 failed logins per account per hour.
 * `hit` records an event when allowed; `check` only asks, for limits counted on failures.
 */
export class RateLimiter {
  private seq = 0;

  constructor(
    private readonly redis: Redis,
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  async hit(key: string): Promise<RateLimitDecision> {
    const member = `${Date.now()}-${process.pid}-${++this.seq}-${Math.random().toString(36).slice(2)}`;
    const raw = await this.redis.eval(HIT, 1, this.key(key), Date.now(), this.windowMs, this.limit, member);
    return this.decision(raw as number[]);
  }

  async check(key: string): Promise<RateLimitDecision> {
    const raw = await this.redis.eval(PEEK, 1, this.key(key), Date.now(), this.windowMs, this.limit);
    return this.decision(raw as number[]);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  private key(key: string): string {
    return `ratelimit:${this.name}:${key}`;
  }

  private decision([allowed, count, waitMs]: number[]): RateLimitDecision {
    return {
      allowed: allowed === 1,
      count,
      remaining: Math.max(0, this.limit - count),
      retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(waitMs / 1000)),
    };
  }
}
