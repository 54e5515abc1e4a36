import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { pingRpcController, platformModules } from '@lib/runtime';

/** The promotion service. Its use cases arrive with their own issues; for now: health, metrics, ping. */
@Module({})
export class PromotionModule {
  static register(config: PlatformConfig): DynamicModule {
    return {
      module: PromotionModule,
      imports: platformModules(config, { mongo: true, redis: true, outbox: true }),
      controllers: [pingRpcController('promotion', RPC.promotion.ping)],
    };
  }
}
