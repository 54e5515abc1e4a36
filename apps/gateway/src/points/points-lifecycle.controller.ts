import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CreateRefundDto,
  CreateReversalDto,
  IdempotentReply,
  PurchaseParamsDto,
  RedemptionParamsDto,
  RefundDto,
  ReversalDto,
  RPC,
} from '@lib/contracts';
import { BearerToken, client } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { CalledBy } from '../http/callers';
import { ServiceClient } from '../http/service-client';
import { answerIdempotent } from './points.controller';

/**
 * Undoing what moved points: a purchase's refunds (a till or shop back end taking points back) and
 * a redemption's reversal (the points go back to the lots they came from).
 */
@ApiTags('Points')
@Controller()
export class PointsLifecycleController {
  constructor(private readonly services: ServiceClient) {}

  @Post('purchases/:purchaseId/refunds')
  @CalledBy(client('purchases:write'))
  @ApiOperation({
    summary: 'Refund (part of) a purchase: take back the points it earned',
    description:
      'API clients with purchases:write only: the client that recorded the purchase (purchaseIds ' +
      "are scoped per API client, so another client's purchase is 404). Takes back " +
      'floor(amount × the earn rate and tier multiplier the purchase used): first from the ' +
      "purchase's own points, pending or available, then from the group's other available " +
      'points, oldest first. What is already spent or expired and cannot be taken back is ' +
      "`unrecovered`; no balance ever goes below 0. A purchase's refunds add up to at most its " +
      'amount: more is 422 REFUND_EXCEEDS_PURCHASE, with `refundable`, and nothing is taken. ' +
      'Idempotent by refundId per API client.',
  })
  @HttpCode(201)
  @ApiCreatedResponse({ type: RefundDto })
  @ApiOkResponse({ type: RefundDto, description: 'A replay: the first response again' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'IDEMPOTENCY_CONFLICT', 'REFUND_EXCEEDS_PURCHASE')
  async refund(
    @BearerToken() accessToken: string,
    @Param() params: PurchaseParamsDto,
    @Body() body: CreateRefundDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundDto> {
    const result = await this.services.call<IdempotentReply<RefundDto>>(
      'loyalty',
      RPC.loyalty.refundPurchase,
      {
        accessToken,
        params: { purchaseId: params.purchaseId },
        body,
      },
    );
    return answerIdempotent(reply, result);
  }

  @Post('redemptions/:redemptionId/reversal')
  @CalledBy('admin', client('redemptions:write'))
  @ApiOperation({
    summary: 'Reverse a redemption: give the points back',
    description:
      'An API client with redemptions:write reverses the redemptions it made (redemptionIds are ' +
      'scoped per API client); an admin reverses any, and gets 409 REDEMPTION_AMBIGUOUS when ' +
      'several callers used that redemptionId. The exact points go back to the lots they were ' +
      "spent from, with those lots' original expiry: points whose lot expired meanwhile expire " +
      "again at once (`pointsExpired`). Always 200: a repeat is 200 with the first reversal's " +
      'body and restores nothing more.',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: ReversalDto, description: 'Reversed now, or earlier: the same body on a repeat' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'REDEMPTION_AMBIGUOUS')
  async reverse(
    @BearerToken() accessToken: string,
    @Param() params: RedemptionParamsDto,
    @Body() body: CreateReversalDto,
  ): Promise<ReversalDto> {
    // The contract answers 200 for the first reversal and for a repeat alike: `created` is not
    // the client's business here.
    const result = await this.services.call<IdempotentReply<ReversalDto>>(
      'loyalty',
      RPC.loyalty.reverseRedemption,
      { accessToken, params: { redemptionId: params.redemptionId }, body },
    );
    return result.body;
  }
}
