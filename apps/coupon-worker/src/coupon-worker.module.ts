import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { platformModules } from '@lib/runtime';
import { GenerationModule } from './generation/generation.module';

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
      imports: [...platformModules(config, { mongo: true, outbox: true }), GenerationModule.collections()],
    };
  }

  // `env` carries the service's own settings (read from process.env in production; tests pass theirs).
  static register(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: CouponWorkerModule,
      imports: [...platformModules(config, { mongo: true, outbox: true }), GenerationModule.register(env)],
    };
  }
}
