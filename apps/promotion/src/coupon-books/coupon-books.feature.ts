import type { PromotionFeatureFactory } from '../promotion-feature';

/** Coupon books: codes, generation jobs (run by the coupon worker), assignment, locks, redemptions. */
export const couponBooksFeature: PromotionFeatureFactory = () => ({
  collections: [],
  controllers: [],
  providers: [],
});
