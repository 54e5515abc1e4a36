import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { JwtModule } from '@lib/jwt';
import { pingRpcController, platformModules } from '@lib/runtime';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CouponBooksModule } from './coupon-books/coupon-books.module';

/** The promotion service: campaigns and vouchers, and coupon books. */
@Module({})
export class PromotionModule {
  /** `migrate`: the collections, indexes and migrations of every area, and no secrets. */
  static migrations(config: PlatformConfig): DynamicModule {
    return {
      module: PromotionModule,
      imports: [
        ...platformModules(config, { mongo: true, outbox: true }),
        CampaignsModule.collections(),
        CouponBooksModule.collections(),
      ],
    };
  }

  // `env` carries the areas' own settings (read from process.env in production; tests pass theirs).
  static register(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: PromotionModule,
      imports: [
        ...platformModules(config, { mongo: true, redis: true, outbox: true }),
        JwtModule.forRoot(config.jwt),
        CampaignsModule.register(env),
        CouponBooksModule.register(),
      ],
      controllers: [pingRpcController('promotion', RPC.promotion.ping)],
    };
  }
}
