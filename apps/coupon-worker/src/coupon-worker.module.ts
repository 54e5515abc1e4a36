import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { platformModules } from '@lib/runtime';

/**
 * Consumes bulk code-generation jobs (coupon books issue). Until then it is a bootable shell with
 * health and metrics, connected to MongoDB and the broker like the real worker will be.
 */
@Module({})
export class CouponWorkerModule {
  // `env` carries the service's own settings (read from process.env in production; tests pass theirs).
  static register(config: PlatformConfig, _env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: CouponWorkerModule,
      imports: platformModules(config, { mongo: true, outbox: true }),
    };
  }
}
