import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GroupDto, InviteDto, MeDto, RPC } from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

@ApiTags('Identity')
@Controller()
@Authenticated()
export class MeController {
  constructor(private readonly services: ServiceClient) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  @ApiProblems('UNAUTHENTICATED', 'NOT_FOUND')
  me(@BearerToken() accessToken: string): Promise<MeDto> {
    return this.services.call('auth', RPC.auth.me, { accessToken });
  }

  @Get('groups/me')
  @ApiOperation({ summary: "The signed-in user's group and its members" })
  @ApiOkResponse({ type: GroupDto })
  @ApiProblems('UNAUTHENTICATED', 'NOT_FOUND')
  myGroup(@BearerToken() accessToken: string): Promise<GroupDto> {
    return this.services.call('auth', RPC.auth.myGroup, { accessToken });
  }

  @Post('groups/me/invites')
  @ApiOperation({ summary: 'Create an invite code to join my group' })
  @HttpCode(201)
  @ApiCreatedResponse({ type: InviteDto, description: 'Single use, valid for 7 days' })
  @ApiProblems('UNAUTHENTICATED', 'NOT_FOUND', 'GROUP_FULL', 'RATE_LIMITED')
  invite(@BearerToken() accessToken: string): Promise<InviteDto> {
    return this.services.call('auth', RPC.auth.createInvite, { accessToken });
  }
}
