import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiter, REDIS } from '@lib/redis';
import { AuthSettings } from '../../auth.settings';
import { tooManyFailedLogins } from '../domain/sessions.errors';

/**
 * Failed logins counted per account and per client IP in Redis (shared by every auth replica):
 * past the limit within the hour, logins are refused with 429 and Retry-After before any password
 * is checked, so guessing is capped whatever the attacker's spread.
 */
@Injectable()
export class LoginLimits {
  private readonly perAccount: RateLimiter;
  private readonly perIp: RateLimiter;

  constructor(@Inject(REDIS) redis: Redis, settings: AuthSettings) {
    const { maxFailuresPerAccount, maxFailuresPerIp, windowMs } = settings.loginLimits;
    this.perAccount = new RateLimiter(redis, 'login-failures:account', maxFailuresPerAccount, windowMs);
    this.perIp = new RateLimiter(redis, 'login-failures:ip', maxFailuresPerIp, windowMs);
  }

  async assertAllowed(username: string, ip: string | undefined): Promise<void> {
    const [account, client] = await Promise.all([
      this.perAccount.check(username),
      ip ? this.perIp.check(ip) : undefined,
    ]);
    const blocked = [account, client].filter((d) => d && !d.allowed);
    if (blocked.length) {
      const retryAfterSeconds = Math.max(...blocked.map((d) => d!.retryAfterSeconds));
      throw tooManyFailedLogins(retryAfterSeconds);
    }
  }

  async recordFailure(username: string, ip: string | undefined): Promise<void> {
    await Promise.all([this.perAccount.hit(username), ip ? this.perIp.hit(ip) : undefined]);
  }

  async clearAccount(username: string): Promise<void> {
    await this.perAccount.reset(username);
  }
}
