import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AdminUserDto,
  AdminUserPageDto,
  AdminUserQueryDto,
  EnrollUserDto,
  RPC,
  UpdateUserDto,
  UserIdParamDto,
} from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

@ApiTags('Administration')
@Controller('admin/users')
@Authenticated('admin')
export class AdminUsersController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'Search users' })
  @ApiOkResponse({ type: AdminUserPageDto, description: 'Newest first' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  list(@BearerToken() accessToken: string, @Query() query: AdminUserQueryDto): Promise<AdminUserPageDto> {
    return this.services.call('auth', RPC.auth.listUsers, { accessToken, query: { ...query } });
  }

  @Post()
  @ApiOperation({ summary: 'Enroll a user' })
  @HttpCode(201)
  @ApiCreatedResponse({ type: AdminUserDto, description: 'Enrolled; a welcome mail follows' })
  @ApiProblems(
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'NOT_FOUND',
    'USERNAME_TAKEN',
    'EMAIL_TAKEN',
    'GROUP_FULL',
    'INVITE_INVALID',
  )
  enroll(@BearerToken() accessToken: string, @Body() body: EnrollUserDto): Promise<AdminUserDto> {
    return this.services.call('auth', RPC.auth.enrollUser, { accessToken, body });
  }

  @Patch(':userId')
  @ApiOperation({ summary: "Change a user's details, roles or status" })
  @ApiOkResponse({ type: AdminUserDto, description: 'The user after the change' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'EMAIL_TAKEN')
  update(
    @BearerToken() accessToken: string,
    @Param() params: UserIdParamDto,
    @Body() body: UpdateUserDto,
  ): Promise<AdminUserDto> {
    return this.services.call('auth', RPC.auth.updateUser, {
      accessToken,
      params: { userId: params.userId },
      body,
    });
  }
}
