import { PersistenceModule } from '@lib/persistence';
import { SHARED_COUPON_MODELS } from '@lib/coupons';
import type { PromotionFeatureFactory } from '../promotion-feature';
import { AssignCouponHandler } from './assignment/assign-coupon.handler';
import { CouponBooksRepository } from './books/coupon-books.repository';
import { CouponCodesRepository, CouponHoldersRepository } from './books/coupon-codes.repository';
import { CreateCouponBookHandler } from './books/create-coupon-book.handler';
import { UploadCodesHandler } from './books/upload-codes.handler';
import { CouponBooksRpcController } from './coupon-books.rpc-controller';
import { GenerationJobsRepository } from './generation/generation-jobs.repository';
import { RequestGenerationHandler } from './generation/request-generation.handler';
import { COUPON_BOOK_MODEL, MongoCouponBooksRepository, couponBookSchema } from './mongo/coupon-books.mongo';
import {
  COUPON_HOLDER_MODEL,
  COUPON_REDEMPTION_MODEL,
  MongoCouponCodesRepository,
  MongoCouponHoldersRepository,
  couponHolderSchema,
  couponRedemptionSchema,
} from './mongo/coupon-codes.mongo';
import { MongoGenerationJobsRepository } from './mongo/generation-jobs.mongo';
import { CouponLocks } from './redemption/coupon-locks';
import { LockCouponHandler } from './redemption/lock-coupon.handler';
import { RedeemCouponHandler } from './redemption/redeem-coupon.handler';
import { ReleaseLockHandler } from './redemption/release-lock.handler';

/**
 * Coupon books: codes, generation jobs (run by the coupon worker), assignment, locks, redemptions.
 * Codes, jobs and book counters are shared with the worker (libs/coupons); the rest is ours.
 */
export const couponBooksFeature: PromotionFeatureFactory = () => ({
  collections: [
    PersistenceModule.forFeature([
      ...SHARED_COUPON_MODELS,
      { name: COUPON_BOOK_MODEL, schema: couponBookSchema },
      { name: COUPON_REDEMPTION_MODEL, schema: couponRedemptionSchema },
      { name: COUPON_HOLDER_MODEL, schema: couponHolderSchema },
    ]),
  ],
  controllers: [CouponBooksRpcController],
  providers: [
    { provide: CouponBooksRepository, useClass: MongoCouponBooksRepository },
    { provide: CouponCodesRepository, useClass: MongoCouponCodesRepository },
    { provide: CouponHoldersRepository, useClass: MongoCouponHoldersRepository },
    { provide: GenerationJobsRepository, useClass: MongoGenerationJobsRepository },
    CouponLocks,
    CreateCouponBookHandler,
    UploadCodesHandler,
    RequestGenerationHandler,
    AssignCouponHandler,
    LockCouponHandler,
    ReleaseLockHandler,
    RedeemCouponHandler,
  ],
});
