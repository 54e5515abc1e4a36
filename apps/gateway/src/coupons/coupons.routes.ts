import type { Type } from '@nestjs/common';
import { CouponBooksController } from './coupon-books.controller';
import { CouponCodesExportController } from './coupon-codes-export.controller';
import { CouponsController } from './coupons.controller';
import { GenerationJobsController } from './generation-jobs.controller';

/** The gateway's controllers for the coupon routes (docs/api.md, Routes by area). */
export const couponsControllers: Type<unknown>[] = [
  CouponBooksController,
  CouponCodesExportController,
  GenerationJobsController,
  CouponsController,
];
