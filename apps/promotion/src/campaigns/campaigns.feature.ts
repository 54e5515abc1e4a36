import type { PromotionFeatureFactory } from '../promotion-feature';

/** Campaigns and vouchers (first N first-time logins get a voucher). */
export const campaignsFeature: PromotionFeatureFactory = () => ({
  collections: [],
  controllers: [],
  providers: [],
});
