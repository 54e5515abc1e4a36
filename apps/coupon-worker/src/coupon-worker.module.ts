import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { SHARED_COUPON_MODELS } from '@lib/coupons';
import { PersistenceModule } from '@lib/persistence';
import { platformModules } from '@lib/runtime';
import { CouponWorkerSettings, readCouponWorkerSettings } from './coupon-worker-settings';
import { GenerationRunner } from './generation/generation-runner';
import { GenerationSubscriber } from './generation/generation-subscriber';
import { JobStore } from './generation/job-store';
import { MongoJobStore } from './generation/mongo/mongo-job-store';

/** The coupon codes, jobs and counters it shares with promotion (same database). */
const workerCollections = () => PersistenceModule.forFeature(SHARED_COUPON_MODELS);

/**
 * The coupon worker: runs bulk code-generation jobs queued by the promotion service. It works in
 * promotion's database, because it writes promotion's codes.
 */
@Module({})
export class CouponWorkerModule {
  /** `migrate`: the shared collections and indexes, no secrets. */
  static migrations(config: PlatformConfig): DynamicModule {
    return {
      module: CouponWorkerModule,
      imports: [...platformModules(config, { mongo: true, outbox: true }), workerCollections()],
    };
  }

  // `env` carries the service's own settings (read from process.env in production; tests pass theirs).
  static register(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const settings = readCouponWorkerSettings(env);
    return {
      module: CouponWorkerModule,
      imports: [...platformModules(config, { mongo: true, outbox: true }), workerCollections()],
      providers: [
        { provide: CouponWorkerSettings, useValue: settings },
        { provide: JobStore, useClass: MongoJobStore },
        GenerationRunner,
        GenerationSubscriber,
      ],
    };
  }
}
