import { DynamicModule, Module } from '@nestjs/common';
import { SHARED_COUPON_MODELS } from '@lib/coupons';
import { PersistenceModule } from '@lib/persistence';
import { RedisCouponLocks } from './adapters/redis-coupon-locks';
import { AssignCouponHandler } from './assign-coupon/assign-coupon.handler';
import { RecentBooks } from './assign-coupon/recent-books';
import { CouponBooksRpcController } from './coupon-books.rpc-controller';
import { CreateCouponBookHandler } from './create-coupon-book/create-coupon-book.handler';
import { LockCouponHandler } from './lock-coupon/lock-coupon.handler';
import { COUPON_BOOK_MODEL, MongoCouponBooksRepository, couponBookSchema } from './mongo/coupon-books.mongo';
import {
  COUPON_REDEMPTION_MODEL,
  MongoCouponCodesRepository,
  couponRedemptionSchema,
} from './mongo/coupon-codes.mongo';
import {
  COUPON_HOLDER_MODEL,
  MongoCouponHoldersRepository,
  couponHolderSchema,
} from './mongo/coupon-holders.mongo';
import { MongoGenerationJobsRepository } from './mongo/generation-jobs.mongo';
import { CouponBooksRepository } from './ports/coupon-books.repository';
import { CouponCodesRepository } from './ports/coupon-codes.repository';
import { CouponHoldersRepository } from './ports/coupon-holders.repository';
import { CouponLocks } from './ports/coupon-locks';
import { GenerationJobsRepository } from './ports/generation-jobs.repository';
import { CouponBooksQueries } from './queries/coupon-books.queries';
import { CouponExportQueries } from './queries/coupon-export.queries';
import { GenerationJobsQueries } from './queries/generation-jobs.queries';
import { MyCouponsQueries } from './queries/my-coupons.queries';
import { RedeemCouponHandler } from './redeem-coupon/redeem-coupon.handler';
import { ReleaseLockHandler } from './release-lock/release-lock.handler';
import { RequestGenerationHandler } from './request-generation/request-generation.handler';
import { UpdateCouponBookHandler } from './update-coupon-book/update-coupon-book.handler';
import { UploadCodesHandler } from './upload-codes/upload-codes.handler';

/**
 * Coupon books: codes, generation jobs (run by the coupon worker), assignment, locks, redemptions.
 * Codes, jobs and book counters are shared with the worker (libs/coupons); the rest is ours.
 */
@Module({})
export class CouponBooksModule {
  /** `migrate`: the books, codes, jobs, counters, holders and redemption log; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([
      ...SHARED_COUPON_MODELS,
      { name: COUPON_BOOK_MODEL, schema: couponBookSchema },
      { name: COUPON_REDEMPTION_MODEL, schema: couponRedemptionSchema },
      { name: COUPON_HOLDER_MODEL, schema: couponHolderSchema },
    ]);
  }

  static register(): DynamicModule {
    return {
      module: CouponBooksModule,
      imports: [CouponBooksModule.collections()],
      controllers: [CouponBooksRpcController],
      providers: [
        { provide: CouponBooksRepository, useClass: MongoCouponBooksRepository },
        { provide: CouponCodesRepository, useClass: MongoCouponCodesRepository },
        { provide: CouponHoldersRepository, useClass: MongoCouponHoldersRepository },
        { provide: GenerationJobsRepository, useClass: MongoGenerationJobsRepository },
        { provide: CouponLocks, useClass: RedisCouponLocks },
        CouponBooksQueries,
        GenerationJobsQueries,
        MyCouponsQueries,
        CouponExportQueries,
        CreateCouponBookHandler,
        UpdateCouponBookHandler,
        UploadCodesHandler,
        RequestGenerationHandler,
        RecentBooks,
        AssignCouponHandler,
        LockCouponHandler,
        ReleaseLockHandler,
        RedeemCouponHandler,
      ],
    };
  }
}
