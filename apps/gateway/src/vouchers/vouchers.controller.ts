import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RedeemedVoucherDto, RedeemVoucherDto, RPC, VoucherListDto } from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** A member's own vouchers, and single-use redemption (idempotent per orderId). */
@ApiTags('Vouchers')
@Controller('vouchers')
@Authenticated()
export class VouchersController {
  constructor(private readonly services: ServiceClient) {}

  @Get('me')
  @ApiOperation({ summary: 'My vouchers' })
  @ApiOkResponse({ type: VoucherListDto, description: 'Newest first' })
  @ApiProblems('UNAUTHENTICATED')
  mine(@BearerToken() accessToken: string): Promise<VoucherListDto> {
    return this.services.call('promotion', RPC.promotion.myVouchers, { accessToken });
  }

  @Post(':voucherId/redeem')
  @ApiOperation({ summary: 'Redeem a voucher for an order' })
  @HttpCode(200)
  @ApiOkResponse({ type: RedeemedVoucherDto, description: 'Also for a replay with the same orderId' })
  @ApiProblems('UNAUTHENTICATED', 'NOT_FOUND', 'VOUCHER_ALREADY_REDEEMED', 'VOUCHER_EXPIRED')
  redeem(
    @BearerToken() accessToken: string,
    @Param('voucherId') voucherId: string,
    @Body() body: RedeemVoucherDto,
  ): Promise<RedeemedVoucherDto> {
    return this.services.call('promotion', RPC.promotion.redeemVoucher, {
      accessToken,
      params: { voucherId },
      body,
    });
  }
}
