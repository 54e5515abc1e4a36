import { DynamicModule, Module } from '@nestjs/common';
import { SHARED_COUPON_MODELS } from '@lib/coupons';
import { PersistenceModule } from '@lib/persistence';
import { CouponWorkerSettings, readCouponWorkerSettings } from '../coupon-worker.settings';
import { MongoJobStore } from './mongo/mongo-job-store';
import { JobStore } from './ports/job-store';
import { RunGenerationConsumer } from './run-generation/run-generation.consumer';
import { RunGenerationHandler } from './run-generation/run-generation.handler';

/**
 * Bulk code generation: claims a job queued by the promotion service and generates its codes. It
 * works in promotion's database, because it writes promotion's codes, jobs and book counters.
 */
@Module({})
export class GenerationModule {
  /** `migrate`: the coupon codes, jobs and counters it shares with promotion; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature(SHARED_COUPON_MODELS);
  }

  static register(env: NodeJS.ProcessEnv): DynamicModule {
    return {
      module: GenerationModule,
      imports: [GenerationModule.collections()],
      providers: [
        { provide: CouponWorkerSettings, useValue: readCouponWorkerSettings(env) },
        { provide: JobStore, useClass: MongoJobStore },
        RunGenerationHandler,
        RunGenerationConsumer,
      ],
    };
  }
}
