import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { LoginDto, RefreshTokenDto, RegisterDto, RegisteredUserDto, RPC, TokenPairDto } from '@lib/contracts';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

@ApiTags('Identity')
@Controller('auth')
export class AuthController {
  constructor(private readonly services: ServiceClient) {}

  @Post('register')
  @ApiOperation({ summary: "Register a user, in a new group or an invite's group", security: [] })
  @ApiCreatedResponse({ type: RegisteredUserDto })
  @ApiProblems('USERNAME_TAKEN', 'EMAIL_TAKEN', 'GROUP_FULL', 'INVITE_INVALID', 'RATE_LIMITED')
  register(@Body() body: RegisterDto, @Ip() ip: string): Promise<RegisteredUserDto> {
    return this.services.call('auth', RPC.auth.register, { body, ip });
  }

  @Post('login')
  @ApiOperation({ summary: 'Log in with a username and password', security: [] })
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems('INVALID_CREDENTIALS', 'RATE_LIMITED')
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<TokenPairDto> {
    return this.services.call('auth', RPC.auth.login, { body, ip });
  }

  @Post('refresh')
  @ApiOperation({ summary: 'Exchange a refresh token for a new token pair', security: [] })
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto, description: 'A new pair; the presented refresh token is spent' })
  @ApiProblems('UNAUTHENTICATED')
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.services.call('auth', RPC.auth.refresh, { body });
  }

  @Post('logout')
  @ApiOperation({ summary: 'Log out: end the session of a refresh token', security: [] })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session of this refresh token is ended' })
  @ApiProblems()
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.services.call('auth', RPC.auth.logout, { body });
  }
}
