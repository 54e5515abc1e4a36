import { DynamicModule } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { MessagingModule } from '@lib/messaging';
import { ObservabilityModule } from '@lib/observability';
import { PersistenceModule } from '@lib/persistence';
import { RedisModule } from '@lib/redis';

export interface PlatformNeeds {
  mongo?: boolean;
  redis?: boolean;
  /** The transactional outbox and idempotent consumers (needs mongo). */
  outbox?: boolean;
  /** Off when several apps share one test process. */
  defaultMetrics?: boolean;
}

/** The infrastructure modules an app needs, configured from one PlatformConfig. */
export function platformModules(config: PlatformConfig, needs: PlatformNeeds): DynamicModule[] {
  const modules: DynamicModule[] = [
    ObservabilityModule.forRoot({
      app: config.app,
      collectDefaultMetrics: needs.defaultMetrics ?? true,
      metricsPort: config.metricsPort,
    }),
    MessagingModule.forRoot({
      url: config.rabbitUrl,
      app: config.app,
      prefix: config.namePrefix,
      rpcTimeoutMs: config.rpcTimeoutMs,
      queueType: config.rabbitQueueType,
    }),
  ];
  if (needs.mongo) modules.push(PersistenceModule.forRoot({ uri: config.mongoUri, dbName: config.mongoDb }));
  if (needs.redis) modules.push(RedisModule.forRoot({ url: config.redisUrl, keyPrefix: config.namePrefix }));
  if (needs.outbox) modules.push(MessagingModule.forOutbox());
  return modules;
}
