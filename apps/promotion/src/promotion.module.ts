import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { JwtModule } from '@lib/jwt';
import { pingRpcController, platformModules } from '@lib/runtime';
import { campaignsFeature } from './campaigns/campaigns.feature';
import { couponBooksFeature } from './coupon-books/coupon-books.feature';
import { PromotionFeature } from './promotion-feature';

const FEATURES = [campaignsFeature, couponBooksFeature];

/** The promotion service: campaigns and vouchers, and coupon books. */
@Module({})
export class PromotionModule {
  /** `migrate`: the collections, indexes and migrations of every area, and no secrets. */
  static migrations(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const features = FEATURES.map((feature) => feature(config, env));
    return {
      module: PromotionModule,
      imports: [
        ...platformModules(config, { mongo: true, outbox: true }),
        ...features.flatMap((f) => f.collections),
      ],
    };
  }

  static register(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const features: PromotionFeature[] = FEATURES.map((feature) => feature(config, env));
    return {
      module: PromotionModule,
      imports: [
        ...platformModules(config, { mongo: true, redis: true, outbox: true }),
        JwtModule.forRoot(config.jwt),
        ...features.flatMap((f) => [...f.collections, ...(f.imports ?? [])]),
      ],
      controllers: [
        pingRpcController('promotion', RPC.promotion.ping),
        ...features.flatMap((f) => f.controllers),
      ],
      providers: features.flatMap((f) => f.providers),
    };
  }
}
