import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MemberParamsDto, PointsDto, RPC } from '@lib/contracts';
import { BearerToken, client } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { CalledBy } from '../http/callers';
import { ServiceClient } from '../http/service-client';

/** A member's points as an API client sees them: the client names the member, never a group. */
@ApiTags('Points')
@Controller('members/:userId')
export class MemberPointsController {
  constructor(private readonly services: ServiceClient) {}

  @Get('points')
  @CalledBy(client('members:read'))
  @ApiOperation({
    summary: "A member's group's points balance, by payer",
    description: 'API clients with members:read only. The same shape as GET /v1/points.',
  })
  @ApiOkResponse({ type: PointsDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'UNKNOWN_MEMBER')
  points(@BearerToken() accessToken: string, @Param() params: MemberParamsDto): Promise<PointsDto> {
    return this.services.call('loyalty', RPC.loyalty.memberPoints, {
      accessToken,
      params: { userId: params.userId },
    });
  }
}
