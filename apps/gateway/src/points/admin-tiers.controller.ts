import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RPC, TiersDto } from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** Admin: the tiers every group climbs by the points it earns, each with an earn multiplier. */
@ApiTags('Points (admin)')
@Controller('admin/tiers')
@Authenticated('admin')
export class AdminTiersController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  @ApiOperation({
    summary: 'The tiers',
    description:
      'Until an admin sets them: qualifyingDays 365 and one tier, Standard, from 0 points with ' +
      'multiplier "1".',
  })
  @ApiOkResponse({ type: TiersDto })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  get(@BearerToken() accessToken: string): Promise<TiersDto> {
    return this.services.call('loyalty', RPC.loyalty.getTiers, { accessToken });
  }

  @Put()
  @ApiOperation({
    summary: 'Replace the tiers',
    description:
      "A group's qualifying points are the points it earned (EARN, less refunds) in the last " +
      'qualifyingDays; its tier is the highest whose minPoints it reaches. A tier is reached at ' +
      'the purchase that crosses it (the next purchase earns with its multiplier) and lost when ' +
      'the window rolls past the points that reached it. The first tier starts at minPoints 0, ' +
      'minPoints strictly increase and names are unique: a broken rule is 400 naming the item ' +
      '(`tiers.1.minPoints`). Every change is in the audit log (tiers.update).',
  })
  @ApiOkResponse({ type: TiersDto, description: 'The tiers now in force' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  update(@BearerToken() accessToken: string, @Body() body: TiersDto): Promise<TiersDto> {
    return this.services.call('loyalty', RPC.loyalty.updateTiers, { accessToken, body });
  }
}
