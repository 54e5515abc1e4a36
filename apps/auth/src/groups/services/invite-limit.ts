import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiter, REDIS } from '@lib/redis';
import { AuthSettings } from '../../auth.settings';
import { tooManyInvites } from '../domain/groups.errors';

/**
 * Invites per user (RATE_LIMIT_INVITES_PER_USER_PER_DAY), counted in Redis and shared by every
 * replica: each one spends a slot atomically before the invite is made.
 */
@Injectable()
export class InviteLimit {
  private readonly perUser: RateLimiter;

  constructor(@Inject(REDIS) redis: Redis, settings: AuthSettings) {
    const { invitesPerUser, invitesWindowMs } = settings.abuseLimits;
    this.perUser = new RateLimiter(redis, 'invites:user', invitesPerUser, invitesWindowMs);
  }

  async spend(userId: string): Promise<void> {
    const decision = await this.perUser.hit(userId);
    if (!decision.allowed) throw tooManyInvites(decision.retryAfterSeconds);
  }
}
