import type { Type } from '@nestjs/common';
import { CouponBooksController } from './coupon-books.controller';
import { CouponsController } from './coupons.controller';
import { GenerationJobsController } from './generation-jobs.controller';

/** The gateway's controllers for the coupons section of API.md. */
export const couponsControllers: Type<unknown>[] = [
  CouponBooksController,
  GenerationJobsController,
  CouponsController,
];
