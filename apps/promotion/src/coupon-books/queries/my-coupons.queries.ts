import { Injectable } from '@nestjs/common';
import type { MyCouponsDto } from '@lib/contracts';
import { CouponCodesRepository } from '../ports/coupon-codes.repository';
import { toMyCoupon } from './coupon-books.views';

/** The most codes a member's list shows (newest assignment first); the list is not paged. */
const MY_COUPONS_SHOWN = 1000;

/** A member's own codes, each with its status as of now. */
@Injectable()
export class MyCouponsQueries {
  constructor(private readonly codes: CouponCodesRepository) {}

  async mine(userId: string): Promise<MyCouponsDto> {
    const now = new Date();
    const coupons = await this.codes.listAssignedTo(userId, MY_COUPONS_SHOWN);
    return { items: coupons.map((c) => toMyCoupon(c, now)) };
  }
}
