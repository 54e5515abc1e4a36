import { Injectable } from '@nestjs/common';
import { HeldLock, RedisLock } from '@lib/redis';
import { lockServiceUnavailable } from '../domain/coupon';

/**
 * The Redis side of coupon locks. Any Redis failure (down, unreachable, timed out) becomes 503
 * LOCK_SERVICE_UNAVAILABLE: without Redis nobody can prove they hold a lock, so nothing is redeemed.
 */
@Injectable()
export class CouponLocks {
  constructor(private readonly lock: RedisLock) {}

  acquire(code: string, ttlMs: number): Promise<HeldLock | null> {
    return this.guard(() => this.lock.acquire(key(code), ttlMs));
  }

  release(code: string, token: string): Promise<boolean> {
    return this.guard(() => this.lock.release(key(code), token));
  }

  /** Milliseconds left when `token` holds the code's lock, else null. */
  remaining(code: string, token: string): Promise<number | null> {
    return this.guard(() => this.lock.remaining(key(code), token));
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch {
      throw lockServiceUnavailable();
    }
  }
}

const key = (code: string) => `coupon:${code}`;
