import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PointsPolicyDto, RPC } from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/**
 * Admin: the points policy, one for the whole platform: how long a purchase's points wait before
 * they can be spent, when points expire, and how far ahead `expiringSoon` warns.
 */
@ApiTags('Points (admin)')
@Controller('admin/points-policy')
@Authenticated('admin')
export class AdminPointsPolicyController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  @ApiOperation({
    summary: 'The points policy',
    description: 'Until an admin sets one: {pendingDays: 0, expiryDays: null, expiryWarningDays: 30}.',
  })
  @ApiOkResponse({ type: PointsPolicyDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  get(@BearerToken() accessToken: string): Promise<PointsPolicyDto> {
    return this.services.call('loyalty', RPC.loyalty.getPointsPolicy, { accessToken });
  }

  @Put()
  @ApiOperation({
    summary: 'Set the points policy',
    description:
      'Applies to points earned from now on: points already earned keep their availableAt and ' +
      'expiresAt. Only purchases wait out pendingDays (payer transactions are available at once); ' +
      "expiry applies to both, counted from the purchase's occurredAt or the transaction's " +
      'timestamp. expiryDays, when set, must be greater than pendingDays (else 400 naming ' +
      'expiryDays). Every change is in the audit log (points-policy.update).',
  })
  @ApiOkResponse({ type: PointsPolicyDto, description: 'The policy now in force' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  update(@BearerToken() accessToken: string, @Body() body: PointsPolicyDto): Promise<PointsPolicyDto> {
    return this.services.call('loyalty', RPC.loyalty.updatePointsPolicy, { accessToken, body });
  }
}
