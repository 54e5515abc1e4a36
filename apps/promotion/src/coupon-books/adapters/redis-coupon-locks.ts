import { Injectable } from '@nestjs/common';
import { RedisLock } from '@lib/redis';
import { lockServiceUnavailable } from '../domain/coupon-books.errors';
import { CouponLocks, HeldCouponLock } from '../ports/coupon-locks';

/**
 * Coupon locks in Redis: SET NX PX with a random token and a fencing counter, released by a
 * compare-and-delete script. Any Redis failure (down, unreachable, timed out) becomes 503
 * LOCK_SERVICE_UNAVAILABLE.
 */
@Injectable()
export class RedisCouponLocks extends CouponLocks {
  constructor(private readonly lock: RedisLock) {
    super();
  }

  acquire(code: string, ttlMs: number): Promise<HeldCouponLock | null> {
    return this.guard(() => this.lock.acquire(key(code), ttlMs));
  }

  release(code: string, token: string): Promise<boolean> {
    return this.guard(() => this.lock.release(key(code), token));
  }

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
