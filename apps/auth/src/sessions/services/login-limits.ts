import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LimitedKey, RateLimiter, REDIS } from '@lib/redis';
import { AuthSettings } from '../../auth.settings';
import { tooManyFailedLogins } from '../domain/sessions.errors';

/** A login attempt's place in the failure counts, taken before its password is checked. */
export interface LoginSlot {
  pairKey: string;
  ip?: string;
  slot: string;
}

/**
 * Failed logins counted in Redis (shared by every auth replica) per (account, client IP) and per
 * client IP, never per account alone: failures from other IPs cannot lock the owner out.
 *
 * Each attempt first reserves a slot in both counts in one atomic step; past either limit it is
 * refused with 429 and Retry-After before any password is checked, however many arrive at once.
 * A failure keeps its slot; a success gives its IP slot back and clears its (account, IP) pair; an
 * attempt that neither failed nor succeeded (an outage) gives both back.
 */
@Injectable()
export class LoginLimits {
  private readonly perAccountAndIp: RateLimiter;
  private readonly perIp: RateLimiter;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    settings: AuthSettings,
  ) {
    const limits = settings.loginLimits;
    this.perAccountAndIp = new RateLimiter(
      redis,
      'login-failures:account-ip',
      limits.maxFailuresPerAccountAndIp,
      limits.accountAndIpWindowMs,
    );
    this.perIp = new RateLimiter(redis, 'login-failures:ip', limits.maxFailuresPerIp, limits.ipWindowMs);
  }

  /** Takes a slot in both counts, or throws 429 RATE_LIMITED when either is full. */
  async reserve(username: string, ip: string | undefined): Promise<LoginSlot> {
    // An IP holds no "|" and comes first, so no (username, ip) pair can pose as another.
    const pairKey = `${ip ?? '-'}|${username}`;
    const keys: LimitedKey[] = [{ limiter: this.perAccountAndIp, key: pairKey }];
    if (ip) keys.push({ limiter: this.perIp, key: ip });
    const reservation = await RateLimiter.hitAll(this.redis, keys);
    if (!reservation.allowed) throw tooManyFailedLogins(reservation.retryAfterSeconds);
    return { pairKey, ip, slot: reservation.slot };
  }

  /** The password was right: the pair starts again from zero, and the IP's slot is given back. */
  async succeeded(login: LoginSlot): Promise<void> {
    await Promise.all([this.perAccountAndIp.reset(login.pairKey), this.releaseIp(login)]);
  }

  /** The attempt ended without a verdict on the password (an outage): it counts nowhere. */
  async abandoned(login: LoginSlot): Promise<void> {
    await Promise.all([this.perAccountAndIp.release(login.pairKey, login.slot), this.releaseIp(login)]);
  }

  private async releaseIp(login: LoginSlot): Promise<void> {
    if (login.ip) await this.perIp.release(login.ip, login.slot);
  }
}
