import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { EnvReader } from '@lib/config';
import { RateLimited } from '@lib/errors';
import { AccessTokenVerifier } from '@lib/jwt';
import { LOGGER, Logger } from '@lib/observability';
import { REDIS, RequestBudget, RequestDecision, RequestLimiter } from '@lib/redis';
import { CONSOLE_PATH } from './admin-console';

const WINDOW_SECONDS = 60;
/** A Redis that doesn't answer within this is treated as down: the request goes on unlimited. */
const REDIS_TIMEOUT_MS = 500;
/** While Redis is down, at most one warning per this many ms (not one per request). */
const WARN_EVERY_MS = 30_000;

/** The gateway's request budgets (docs/api.md, Rate limits); the class is its own DI token. */
export class RateLimitSettings {
  constructor(
    /** RATE_LIMIT_IP_PER_MINUTE: every public route, per client IP, before authentication. */
    readonly ipPerMinute: number,
    /**
     * RATE_LIMIT_CALLER_PER_MINUTE: per authenticated caller, the verified token's `sub`: a
     * person's userId or an API client's clientId (each client has a budget of its own).
     */
    readonly callerPerMinute: number,
  ) {}
}

export function readRateLimitSettings(env: NodeJS.ProcessEnv = process.env): RateLimitSettings {
  const reader = new EnvReader(env);
  const settings = new RateLimitSettings(
    reader.int('RATE_LIMIT_IP_PER_MINUTE', 600, 1, 1_000_000_000),
    reader.int('RATE_LIMIT_CALLER_PER_MINUTE', 1200, 1, 1_000_000_000),
  );
  reader.finish('gateway');
  return settings;
}

/** Health, metrics, the API docs and the console's static files are never limited. */
const UNLIMITED = new RegExp(`^(?:/health/|/metrics(?:[/?]|$)|/docs(?:[/?-]|$)|${CONSOLE_PATH}(?:[/?]|$))`);
const BEARER = /^bearer +(\S+)$/i;

/**
 * Every other request spends from its client IP's budget and, with a valid access token, from its
 * caller's, both checked and counted in one Redis round trip before the body is even read. Past
 * either, 429 RATE_LIMITED with Retry-After. Every limited answer carries the IETF draft's
 * structured `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-10).
 * When Redis fails, requests go on unlimited with a warning: the limits never take the API down.
 */
export function applyRateLimits(app: NestFastifyApplication): void {
  const settings = app.get(RateLimitSettings);
  const limiter = new RequestLimiter(app.get<Redis>(REDIS), 'requests', WINDOW_SECONDS * 1000);
  const verifier = app.get(AccessTokenVerifier);
  const logger = app.get<Logger>(LOGGER);
  let warnedAt = -Infinity;
  const policy = (name: string, limit: number) => `"${name}";q=${limit};w=${WINDOW_SECONDS}`;
  const ipPolicy = policy('ip', settings.ipPerMinute);
  const bothPolicies = `${ipPolicy}, ${policy('caller', settings.callerPerMinute)}`;

  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (UNLIMITED.test(req.url)) return;
      const budgets: RequestBudget[] = [{ key: `ip:${req.ip}`, limit: settings.ipPerMinute }];
      const caller = await callerOf(req, verifier);
      if (caller) budgets.push({ key: `caller:${caller}`, limit: settings.callerPerMinute });
      let decision: RequestDecision;
      try {
        decision = await withTimeout(limiter.spend(budgets), REDIS_TIMEOUT_MS);
      } catch (err) {
        if (Date.now() - warnedAt >= WARN_EVERY_MS) {
          warnedAt = Date.now();
          logger.warn({ err: String(err) }, 'rate limits skipped: Redis is unavailable');
        }
        return;
      }
      void reply.header('RateLimit-Policy', caller ? bothPolicies : ipPolicy);
      const names = ['ip', 'caller'];
      void reply.header(
        'RateLimit',
        decision.budgets.map((b, i) => `"${names[i]}";r=${b.remaining};t=${b.resetSeconds}`).join(', '),
      );
      if (!decision.allowed) {
        const blocked = decision.budgets.filter((b) => b.count >= b.limit);
        const retryAfter = Math.max(...blocked.map((b) => b.resetSeconds));
        throw new RateLimited('too many requests; try again later', retryAfter);
      }
    });
}

/** The verified token's `sub`, or none for a request without a valid one (only its IP counts). */
async function callerOf(req: FastifyRequest, verifier: AccessTokenVerifier): Promise<string | undefined> {
  const header = req.headers.authorization;
  const token = header ? BEARER.exec(header)?.[1] : undefined;
  if (!token) return undefined;
  try {
    // The verifier caches verified tokens: the route's guard then finds this one cached.
    return (await verifier.verify(token)).userId;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
