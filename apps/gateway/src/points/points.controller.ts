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
import { BearerToken, client } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { CalledBy } from '../http/callers';
import { ServiceClient } from '../http/service-client';

/** 201 for the first call of an idempotent create, 200 (same body) for a replay. */
export function answerIdempotent<T>(reply: FastifyReply, result: IdempotentReply<T>): T {
  if (!result.created) void reply.status(200);
  return result.body;
}

/**
 * A group's points. A member's group always comes from their token, never from the request; an
 * API client names the member (`userId`) and the service finds the member's group.
 */
@ApiTags('Points')
@Controller()
export class PointsController {
  constructor(private readonly services: ServiceClient) {}

  @Post('purchases')
  @CalledBy(client('purchases:write'))
  @ApiOperation({
    summary: "Record a member's purchase: the member's group earns points",
    description:
      'API clients with purchases:write only (a till, a shop back end); a member token gets 403. ' +
      'Idempotent by purchaseId per API client.',
  })
  @HttpCode(201)
  @ApiCreatedResponse({ type: PurchaseDto })
  @ApiOkResponse({ type: PurchaseDto, description: 'A replay: the first response again' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'IDEMPOTENCY_CONFLICT', 'UNKNOWN_MEMBER')
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
  @CalledBy()
  @ApiOperation({ summary: "My group's purchases" })
  @ApiOkResponse({ type: PurchasePageDto, description: 'Newest first' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  listPurchases(@BearerToken() accessToken: string, @Query() query: PageQueryDto): Promise<PurchasePageDto> {
    return this.services.call('loyalty', RPC.loyalty.listPurchases, { accessToken, query: { ...query } });
  }

  @Get('points')
  @CalledBy()
  @ApiOperation({ summary: "My group's points balance, by payer" })
  @ApiOkResponse({ type: PointsDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  points(@BearerToken() accessToken: string): Promise<PointsDto> {
    return this.services.call('loyalty', RPC.loyalty.groupPoints, { accessToken });
  }

  @Get('points/history')
  @CalledBy()
  @ApiOperation({ summary: "My group's points history" })
  @ApiOkResponse({ type: LedgerPageDto, description: 'Ledger entries, newest first' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  history(@BearerToken() accessToken: string, @Query() query: PageQueryDto): Promise<LedgerPageDto> {
    return this.services.call('loyalty', RPC.loyalty.pointsHistory, { accessToken, query: { ...query } });
  }

  @Post('redemptions')
  @CalledBy('member', 'admin', client('redemptions:write'))
  @ApiOperation({
    summary: 'Spend points, oldest first',
    description:
      "A person spends their group's points (no userId); an API client with redemptions:write " +
      "spends a member's, naming them with userId. Idempotent by redemptionId (per group for " +
      'people, per API client for clients).',
  })
  @HttpCode(201)
  @ApiCreatedResponse({ type: RedemptionDto })
  @ApiOkResponse({ type: RedemptionDto, description: 'A replay: the first response again' })
  @ApiProblems(
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'IDEMPOTENCY_CONFLICT',
    'INSUFFICIENT_POINTS',
    'UNKNOWN_MEMBER',
  )
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
