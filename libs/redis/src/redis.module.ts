import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry } from '@lib/observability';
import Redis from 'ioredis';
import { RedisLock } from './redis-lock';

export const REDIS = Symbol('REDIS');

export interface RedisOptions {
  url: string;
  /** Every key this app writes starts with it: tests use a prefix per file. */
  keyPrefix?: string;
}

export function createRedis({ url, keyPrefix }: RedisOptions): Redis {
  return new Redis(url, {
    keyPrefix,
    // Fail fast while Redis is down instead of queueing commands for ever: callers map it to 503.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    lazyConnect: false,
    // Every gateway request checks its rate limits in Redis: commands issued in the same tick
    // (concurrent requests) go out in one socket write instead of one each, which is most of
    // the limiter's cost on a busy gateway (measured with bench/identity.bench.ts).
    enableAutoPipelining: true,
  });
}

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    // quit() lets pending replies arrive; a client that never connected is just torn down.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(options: RedisOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          useFactory: (health: HealthRegistry) => {
            const redis = createRedis(options);
            health.register({ name: 'redis', check: async () => (await redis.ping()) === 'PONG' });
            return redis;
          },
          inject: [HealthRegistry],
        },
        { provide: RedisLock, useFactory: (r: Redis) => new RedisLock(r), inject: [REDIS] },
        RedisCloser,
      ],
      exports: [REDIS, RedisLock],
    };
  }
}
