import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RedeemedVoucherDto, RedeemVoucherDto, RPC, VoucherListDto } from '@lib/contracts';
import { Authenticated, BearerToken, client } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { CalledBy } from '../http/callers';
import { ServiceClient } from '../http/service-client';

/**
 * A member's own vouchers, and single-use redemption (idempotent per orderId), by the member or
 * by a till (an API client with vouchers:redeem) naming the member.
 */
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
  @CalledBy('member', 'admin', client('vouchers:redeem'))
  @ApiOperation({
    summary: 'Redeem a voucher for an order',
    description:
      'The member who holds it (no userId), or an API client with vouchers:redeem naming the member ' +
      "with userId: another member's voucher is 404, as an unknown one.",
  })
  @HttpCode(200)
  @ApiOkResponse({ type: RedeemedVoucherDto, description: 'Also for a replay with the same orderId' })
  @ApiProblems(
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'NOT_FOUND',
    'UNKNOWN_MEMBER',
    'VOUCHER_ALREADY_REDEEMED',
    'VOUCHER_EXPIRED',
  )
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
