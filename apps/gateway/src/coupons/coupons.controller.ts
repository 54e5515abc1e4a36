import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AssignedCouponDto,
  CouponLockDto,
  CouponRedemptionDto,
  LockCouponDto,
  MyCouponsDto,
  RPC,
  RedeemCouponDto,
} from '@lib/contracts';
import { ValidationFailed } from '@lib/errors';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** Members: get a random code of a book, see their codes, lock one for checkout, redeem it. */
@ApiTags('Coupons')
@Controller()
@Authenticated()
export class CouponsController {
  constructor(private readonly services: ServiceClient) {}

  @Post('coupon-books/:couponBookId/assignments')
  @ApiOperation({ summary: 'Get a random code of a coupon book' })
  @HttpCode(201)
  @ApiCreatedResponse({ type: AssignedCouponDto, description: 'A random unassigned code of the book' })
  @ApiProblems(
    'UNAUTHENTICATED',
    'NOT_FOUND',
    'MAX_CODES_PER_USER',
    'NO_CODES_AVAILABLE',
    'COUPON_BOOK_INACTIVE',
  )
  assign(
    @BearerToken() accessToken: string,
    @Param('couponBookId') couponBookId: string,
  ): Promise<AssignedCouponDto> {
    return this.services.call('promotion', RPC.promotion.assignCoupon, {
      accessToken,
      params: { couponBookId },
    });
  }

  @Get('coupons/me')
  @ApiOperation({ summary: 'My coupon codes' })
  @ApiOkResponse({ type: MyCouponsDto, description: 'Newest assignment first' })
  @ApiProblems('UNAUTHENTICATED')
  mine(@BearerToken() accessToken: string): Promise<MyCouponsDto> {
    return this.services.call('promotion', RPC.promotion.myCoupons, { accessToken });
  }

  @Post('coupons/:code/lock')
  @ApiOperation({ summary: 'Lock my code for a checkout' })
  @HttpCode(200)
  @ApiOkResponse({ type: CouponLockDto })
  @ApiProblems(
    'UNAUTHENTICATED',
    'NOT_FOUND',
    'COUPON_LOCKED',
    'COUPON_ALREADY_REDEEMED',
    'COUPON_BOOK_INACTIVE',
    'LOCK_SERVICE_UNAVAILABLE',
  )
  lock(
    @BearerToken() accessToken: string,
    @Param('code') code: string,
    @Body() body: LockCouponDto = {},
  ): Promise<CouponLockDto> {
    return this.services.call('promotion', RPC.promotion.lockCoupon, { accessToken, params: { code }, body });
  }

  @Delete('coupons/:code/lock')
  @ApiOperation({ summary: 'Release the lock on a code' })
  @HttpCode(204)
  @ApiHeader({ name: 'Lock-Token', required: true, description: 'The lockToken the lock returned' })
  @ApiNoContentResponse({
    description: 'The lock is released, or no lock is live on the code (expired, released or used)',
  })
  @ApiProblems('UNAUTHENTICATED', 'NOT_FOUND', 'LOCK_REQUIRED', 'LOCK_SERVICE_UNAVAILABLE')
  async release(
    @BearerToken() accessToken: string,
    @Param('code') code: string,
    @Headers('lock-token') lockToken: string | undefined,
  ): Promise<void> {
    if (!lockToken || lockToken.length > 200) {
      throw new ValidationFailed([{ field: 'Lock-Token', message: 'the Lock-Token header is required' }]);
    }
    await this.services.call('promotion', RPC.promotion.releaseCouponLock, {
      accessToken,
      params: { code },
      body: { lockToken },
    });
  }

  @Post('coupons/:code/redemptions')
  @ApiOperation({ summary: 'Redeem a locked code' })
  @HttpCode(201)
  @ApiCreatedResponse({ type: CouponRedemptionDto, description: 'Recorded in the redemption log' })
  @ApiProblems(
    'UNAUTHENTICATED',
    'NOT_FOUND',
    'LOCK_REQUIRED',
    'COUPON_ALREADY_REDEEMED',
    'COUPON_BOOK_INACTIVE',
    'LOCK_SERVICE_UNAVAILABLE',
  )
  redeem(
    @BearerToken() accessToken: string,
    @Param('code') code: string,
    @Body() body: RedeemCouponDto,
  ): Promise<CouponRedemptionDto> {
    return this.services.call('promotion', RPC.promotion.redeemCoupon, {
      accessToken,
      params: { code },
      body,
    });
  }
}
