import { Body, Controller, HttpCode, Inject, Ip, Optional, Post, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginDto, RegisterDto, RegisteredUserDto, RPC, TokenPairDto } from '@lib/contracts';
import { DomainError, Unauthenticated } from '@lib/errors';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';
import {
  type AccessGrant,
  readSessionCookieSettings,
  SESSION_COOKIE_API_HEADER,
  SessionCookies,
  SessionCookieSettings,
} from './session-cookie';
import {
  AccessGrantDto,
  RefreshTokenInputDto,
  SET_COOKIE_HEADER,
  TOKENS_RESPONSE_SCHEMA,
} from './session-dtos';

@ApiTags('Identity')
@ApiExtraModels(TokenPairDto, AccessGrantDto)
@Controller('auth')
export class AuthController {
  private readonly cookies: SessionCookies;

  constructor(
    private readonly services: ServiceClient,
    // Provided by GatewayModule with the other settings (a bad value fails the boot); read here
    // only where the controller is built without it (the OpenAPI document script).
    @Optional() @Inject(SessionCookieSettings) settings?: SessionCookieSettings,
  ) {
    this.cookies = new SessionCookies(settings ?? readSessionCookieSettings());
  }

  @Post('register')
  @ApiOperation({ summary: "Register a user, in a new group or an invite's group", security: [] })
  @ApiCreatedResponse({ type: RegisteredUserDto })
  @ApiProblems('USERNAME_TAKEN', 'EMAIL_TAKEN', 'GROUP_FULL', 'INVITE_INVALID', 'RATE_LIMITED')
  register(@Body() body: RegisterDto, @Ip() ip: string): Promise<RegisteredUserDto> {
    return this.services.call('auth', RPC.auth.register, { body, ip });
  }

  @Post('login')
  @ApiOperation({
    summary: 'Log in with a username and password',
    description: 'With `X-Session-Cookie: 1`, the refresh token is set as a cookie and left out of the body.',
    security: [],
  })
  @ApiHeader(SESSION_COOKIE_API_HEADER)
  @HttpCode(200)
  @ApiOkResponse({ schema: TOKENS_RESPONSE_SCHEMA, headers: SET_COOKIE_HEADER })
  @ApiProblems('INVALID_CREDENTIALS', 'FORBIDDEN', 'RATE_LIMITED')
  async login(
    @Body() body: LoginDto,
    @Ip() ip: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto | AccessGrant> {
    const cookieMode = this.cookies.requested(req);
    const pair = await this.services.call<TokenPairDto>('auth', RPC.auth.login, { body, ip });
    return cookieMode ? this.cookies.keep(reply, pair) : pair;
  }

  @Post('refresh')
  @ApiOperation({
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'With `X-Session-Cookie: 1` and no `refreshToken`, the token comes from the session cookie, ' +
      'which is rotated (or cleared, when the token is refused).',
    security: [],
  })
  @ApiHeader(SESSION_COOKIE_API_HEADER)
  @HttpCode(200)
  @ApiOkResponse({
    schema: TOKENS_RESPONSE_SCHEMA,
    headers: SET_COOKIE_HEADER,
    description: 'A new pair; the presented refresh token is spent',
  })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  async refresh(
    @Body() body: RefreshTokenInputDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto | AccessGrant> {
    const presented = this.cookies.presented(req, body.refreshToken);
    if (presented.mode === 'body') {
      return this.services.call('auth', RPC.auth.refresh, { body: { refreshToken: presented.refreshToken } });
    }
    try {
      if (!presented.refreshToken) throw new Unauthenticated('no session cookie: sign in');
      const pair = await this.services.call<TokenPairDto>('auth', RPC.auth.refresh, {
        body: { refreshToken: presented.refreshToken },
      });
      return this.cookies.keep(reply, pair);
    } catch (err) {
      // A spent, revoked or expired token is no session any more: the browser forgets it.
      if (err instanceof DomainError && err.code === 'UNAUTHENTICATED') this.cookies.clear(reply);
      throw err;
    }
  }

  @Post('logout')
  @ApiOperation({
    summary: 'Log out: end the session of a refresh token',
    description:
      'With `X-Session-Cookie: 1` and no `refreshToken`, ends the session of the cookie and clears it.',
    security: [],
  })
  @ApiHeader(SESSION_COOKIE_API_HEADER)
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'The session of this refresh token is ended',
    headers: SET_COOKIE_HEADER,
  })
  @ApiProblems('FORBIDDEN')
  async logout(
    @Body() body: RefreshTokenInputDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const presented = this.cookies.presented(req, body.refreshToken);
    // Cleared even if auth can't be reached: the person asked to end this browser's session.
    if (presented.mode === 'cookie') this.cookies.clear(reply);
    if (presented.refreshToken) {
      await this.services.call('auth', RPC.auth.logout, { body: { refreshToken: presented.refreshToken } });
    }
  }
}
