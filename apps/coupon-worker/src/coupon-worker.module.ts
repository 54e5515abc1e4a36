import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { platformModules } from '@lib/runtime';

/**
 * Consumes bulk code-generation jobs (coupon books issue). Until then it is a bootable shell with
 * health and metrics, connected to MongoDB and the broker like the real worker will be.
 */
@Module({})
export class CouponWorkerModule {
  static register(config: PlatformConfig): DynamicModule {
    return {
      module: CouponWorkerModule,
      imports: platformModules(config, { mongo: true, outbox: true }),
    };
  }
}
