import type { Redis } from 'ioredis';

/** One budget a request spends from: at most `limit` requests per window under `key`. */
export interface RequestBudget {
  key: string;
  limit: number;
}

export interface BudgetState {
  limit: number;
  /** Requests counted in the current window, this one included when it was allowed. */
  count: number;
  remaining: number;
  /** Seconds until the window ends and the budget is full again (at least 1). */
  resetSeconds: number;
}

export interface RequestDecision {
  allowed: boolean;
  /** In the order of the budgets asked for. */
  budgets: BudgetState[];
}

// Fixed windows that start at a key's first request. Every budget is checked first, and only when
// all have room is each counted: a refused request spends nothing, and no budget is ever exceeded,
// whatever the concurrency across replicas (one script runs at a time). Returns
// {allowed, count1, pttl1, count2, pttl2, ...}.
const SPEND = `
local window = tonumber(ARGV[1])
local out = {1}
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then ttl = window end
  if count >= tonumber(ARGV[i + 1]) then out[1] = 0 end
  out[2 * i] = count
  out[2 * i + 1] = ttl
end
if out[1] == 1 then
  for i, key in ipairs(KEYS) do
    out[2 * i] = redis.call('INCR', key)
    if out[2 * i] == 1 or redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, window) end
  end
end
return out`;

const COMMAND = 'spendRequestBudgets';
type WithCommand = Redis & {
  [COMMAND]: (...args: (string | number)[]) => Promise<number[]>;
};

/**
 * Request budgets shared by every replica through Redis: several keys (per client IP, per caller)
 * checked and counted in one atomic script, so one round trip per request (EVALSHA once the
 * script is cached). Keys carry the connection's prefix (NAME_PREFIX).
 */
export class RequestLimiter {
  private readonly redis: WithCommand;

  constructor(
    redis: Redis,
    private readonly name: string,
    private readonly windowMs: number,
  ) {
    if (typeof (redis as unknown as Partial<WithCommand>)[COMMAND] !== 'function') {
      redis.defineCommand(COMMAND, { lua: SPEND });
    }
    this.redis = redis as unknown as WithCommand;
  }

  async spend(budgets: RequestBudget[]): Promise<RequestDecision> {
    const keys = budgets.map((b) => `ratelimit:${this.name}:${b.key}`);
    const raw = await this.redis[COMMAND](
      keys.length,
      ...keys,
      this.windowMs,
      ...budgets.map((b) => b.limit),
    );
    return {
      allowed: raw[0] === 1,
      budgets: budgets.map(({ limit }, i) => {
        const count = raw[2 * i + 1];
        return {
          limit,
          count,
          remaining: Math.max(0, limit - count),
          resetSeconds: Math.max(1, Math.ceil(raw[2 * i + 2] / 1000)),
        };
      }),
    };
  }
}
