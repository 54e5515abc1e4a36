import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiter, REDIS } from '@lib/redis';
import { AuthSettings } from '../../auth.settings';
import { tooManyRegistrations } from '../domain/users.errors';

/**
 * Self-registrations per client IP (RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR), counted in Redis
 * and shared by every replica. Every attempt spends one, atomically, before any work is done, so a
 * flood of concurrent sign-ups gets exactly the limit through.
 */
@Injectable()
export class RegistrationLimit {
  private readonly perIp: RateLimiter;

  constructor(@Inject(REDIS) redis: Redis, settings: AuthSettings) {
    const { registrationsPerIp, registrationsWindowMs } = settings.abuseLimits;
    this.perIp = new RateLimiter(redis, 'registrations:ip', registrationsPerIp, registrationsWindowMs);
  }

  async spend(ip: string | undefined): Promise<void> {
    const decision = await this.perIp.hit(ip ?? 'unknown');
    if (!decision.allowed) throw tooManyRegistrations(decision.retryAfterSeconds);
  }
}
