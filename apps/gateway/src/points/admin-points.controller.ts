import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CreatePayerTransactionDto,
  GroupParamsDto,
  IdempotentReply,
  LedgerPageDto,
  PageQueryDto,
  PayerTransactionDto,
  PointsDto,
  RPC,
} from '@lib/contracts';
import { Authenticated, BearerToken, client } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { CalledBy } from '../http/callers';
import { ServiceClient } from '../http/service-client';
import { answerIdempotent } from './points.controller';

/**
 * Admin: any group's points, history, and payer transactions (adjustments), which a payer's feed
 * (an API client with payer-transactions:write) may send too.
 */
@ApiTags('Points (admin)')
@Controller('admin/groups/:groupId')
@Authenticated('admin')
export class AdminPointsController {
  constructor(private readonly services: ServiceClient) {}

  @Post('transactions')
  @CalledBy('admin', client('payer-transactions:write'))
  @ApiOperation({
    summary: "Add or remove a payer's points in a group",
    description: "An admin, or an API client with payer-transactions:write (a payer's feed).",
  })
  @HttpCode(201)
  @ApiCreatedResponse({ type: PayerTransactionDto })
  @ApiOkResponse({ type: PayerTransactionDto, description: 'A replay: the first response again' })
  @ApiProblems(
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'NOT_FOUND',
    'IDEMPOTENCY_CONFLICT',
    'INSUFFICIENT_PAYER_POINTS',
  )
  async createTransaction(
    @BearerToken() accessToken: string,
    @Param() params: GroupParamsDto,
    @Body() body: CreatePayerTransactionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PayerTransactionDto> {
    const result = await this.services.call<IdempotentReply<PayerTransactionDto>>(
      'loyalty',
      RPC.loyalty.createPayerTransaction,
      { accessToken, params: { groupId: params.groupId }, body },
    );
    return answerIdempotent(reply, result);
  }

  @Get('points')
  @ApiOperation({ summary: "A group's points balance, by payer" })
  @ApiOkResponse({ type: PointsDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  points(@BearerToken() accessToken: string, @Param() params: GroupParamsDto): Promise<PointsDto> {
    return this.services.call('loyalty', RPC.loyalty.adminGroupPoints, {
      accessToken,
      params: { groupId: params.groupId },
    });
  }

  @Get('points/history')
  @ApiOperation({ summary: "A group's points history" })
  @ApiOkResponse({ type: LedgerPageDto, description: 'Ledger entries, newest first' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  history(
    @BearerToken() accessToken: string,
    @Param() params: GroupParamsDto,
    @Query() query: PageQueryDto,
  ): Promise<LedgerPageDto> {
    return this.services.call('loyalty', RPC.loyalty.adminPointsHistory, {
      accessToken,
      params: { groupId: params.groupId },
      query: { ...query },
    });
  }
}
