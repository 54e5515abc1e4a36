import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGroupDto, GroupParamsDto, RPC } from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** Admin: any group and its members, so a console can name a group by the people in it. */
@ApiTags('Administration')
@Controller('admin/groups')
@Authenticated('admin')
export class AdminGroupsController {
  constructor(private readonly services: ServiceClient) {}

  @Get(':groupId')
  @ApiOperation({ summary: 'A group and its members' })
  @ApiOkResponse({ type: AdminGroupDto, description: 'Members in the order they joined' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  get(@BearerToken() accessToken: string, @Param() params: GroupParamsDto): Promise<AdminGroupDto> {
    return this.services.call('auth', RPC.auth.getGroup, {
      accessToken,
      params: { groupId: params.groupId },
    });
  }
}
