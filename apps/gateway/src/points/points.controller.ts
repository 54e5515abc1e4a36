import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CreatePurchaseDto,
  CreateRedemptionDto,
  IdempotentReply,
  LedgerPageDto,
  PageQueryDto,
  PointsDto,
  PurchaseDto,
  PurchasePageDto,
  RedemptionDto,
  RPC,
} from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** 201 for the first call of an idempotent create, 200 (same body) for a replay. */
export function answerIdempotent<T>(reply: FastifyReply, result: IdempotentReply<T>): T {
  if (!result.created) void reply.status(200);
  return result.body;
}

/** The caller's group's points: the group always comes from the token, never from the request. */
@ApiTags('Points')
@Controller()
@Authenticated()
export class PointsController {
  constructor(private readonly services: ServiceClient) {}

  @Post('purchases')
  @ApiOperation({ summary: 'Record a purchase and earn points' })
  @HttpCode(201)
  @ApiCreatedResponse({ type: PurchaseDto })
  @ApiOkResponse({ type: PurchaseDto, description: 'A replay: the first response again' })
  @ApiProblems('UNAUTHENTICATED', 'IDEMPOTENCY_CONFLICT')
  async createPurchase(
    @BearerToken() accessToken: string,
    @Body() body: CreatePurchaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PurchaseDto> {
    const result = await this.services.call<IdempotentReply<PurchaseDto>>(
      'loyalty',
      RPC.loyalty.createPurchase,
      { accessToken, body },
    );
    return answerIdempotent(reply, result);
  }

  @Get('purchases')
  @ApiOperation({ summary: "My group's purchases" })
  @ApiOkResponse({ type: PurchasePageDto, description: 'Newest first' })
  @ApiProblems('UNAUTHENTICATED')
  listPurchases(@BearerToken() accessToken: string, @Query() query: PageQueryDto): Promise<PurchasePageDto> {
    return this.services.call('loyalty', RPC.loyalty.listPurchases, { accessToken, query: { ...query } });
  }

  @Get('points')
  @ApiOperation({ summary: "My group's points balance, by payer" })
  @ApiOkResponse({ type: PointsDto })
  @ApiProblems('UNAUTHENTICATED')
  points(@BearerToken() accessToken: string): Promise<PointsDto> {
    return this.services.call('loyalty', RPC.loyalty.groupPoints, { accessToken });
  }

  @Get('points/history')
  @ApiOperation({ summary: "My group's points history" })
  @ApiOkResponse({ type: LedgerPageDto, description: 'Ledger entries, newest first' })
  @ApiProblems('UNAUTHENTICATED')
  history(@BearerToken() accessToken: string, @Query() query: PageQueryDto): Promise<LedgerPageDto> {
    return this.services.call('loyalty', RPC.loyalty.pointsHistory, { accessToken, query: { ...query } });
  }

  @Post('redemptions')
  @ApiOperation({ summary: 'Spend points, oldest first' })
  @HttpCode(201)
  @ApiCreatedResponse({ type: RedemptionDto })
  @ApiOkResponse({ type: RedemptionDto, description: 'A replay: the first response again' })
  @ApiProblems('UNAUTHENTICATED', 'IDEMPOTENCY_CONFLICT', 'INSUFFICIENT_POINTS')
  async createRedemption(
    @BearerToken() accessToken: string,
    @Body() body: CreateRedemptionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RedemptionDto> {
    const result = await this.services.call<IdempotentReply<RedemptionDto>>(
      'loyalty',
      RPC.loyalty.createRedemption,
      { accessToken, body },
    );
    return answerIdempotent(reply, result);
  }
}
