import type { DynamicModule, Provider, Type } from '@nestjs/common';
import type { PlatformConfig } from '@lib/config';

/**
 * One area of the promotion service (campaigns and vouchers; coupon books). Each area owns its
 * collections, RPC controllers, providers and settings; PromotionModule composes them.
 * `collections` is all `migrate` needs: it must not read secrets.
 */
export interface PromotionFeature {
  collections: DynamicModule[];
  imports?: DynamicModule[];
  controllers: Type<unknown>[];
  providers: Provider[];
}

export type PromotionFeatureFactory = (config: PlatformConfig, env: NodeJS.ProcessEnv) => PromotionFeature;
