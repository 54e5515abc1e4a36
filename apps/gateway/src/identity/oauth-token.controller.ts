import { Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ClientTokenDto, OAuthErrorDto, RPC } from '@lib/contracts';
import { ApiProblemsOnly } from '../http/api-problems';
import { CLIENT_BASIC_SCHEME } from '../http/callers';
import { AcceptsMediaTypes, IgnoresUndeclaredInput } from '../http/request-rules';
import { ServiceClient } from '../http/service-client';
import { readClientCredentialsGrant } from './client-credentials-grant';
import { CLIENT_CHALLENGE, OAuthErrorFilter } from './oauth-error.filter';

const FORM = 'application/x-www-form-urlencoded';
const NO_STORE = {
  'Cache-Control': { description: 'no-store: the answer carries a token', schema: { type: 'string' } },
  Pragma: { description: 'no-cache, for HTTP/1.0 caches', schema: { type: 'string' } },
};

/** The token request's form as the document shows it (the handler reads it itself). */
class ClientCredentialsFormDto {
  @ApiProperty({ enum: ['client_credentials'] }) grant_type!: string;

  @ApiPropertyOptional({
    example: 'purchases:write',
    maxLength: 1000,
    description: 'Space-separated scopes, each one the client holds; every scope it holds when absent',
  })
  scope?: string;

  @ApiPropertyOptional({ description: 'Only without HTTP Basic: the client id' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'Only without HTTP Basic: the client secret' })
  client_secret?: string;
}

/**
 * The OAuth 2.0 token endpoint: the client-credentials grant (RFC 6749 §4.4) for API clients.
 * The gateway reads the request as the RFC says (§2.3.1, §3.2, §4.4.2) and auth checks the client.
 * Answers and errors are the RFC's own JSON (§5.1, §5.2), never cached.
 */
@ApiTags('Identity')
@Controller('oauth')
@UseFilters(OAuthErrorFilter)
export class OAuthTokenController {
  constructor(private readonly services: ServiceClient) {}

  @Post('token')
  @HttpCode(200)
  @AcceptsMediaTypes(FORM)
  // RFC 6749 §3.2: unknown parameters MUST be ignored, so this is the one route that does not
  // refuse unknown fields (client libraries add their own, such as `audience` or `resource`).
  @IgnoresUndeclaredInput()
  @ApiOperation({
    summary: 'Get an access token for an API client (OAuth 2.0 client credentials)',
    description:
      'RFC 6749 §4.4. The client authenticates with HTTP Basic or with client_id and client_secret ' +
      'in the form, never both. Unknown parameters are ignored; a repeated one is invalid_request. ' +
      'Errors here are RFC 6749 §5.2 JSON, except 415, 429 and 5xx, which are problem+json.',
    security: [{ [CLIENT_BASIC_SCHEME]: [] }, {}],
  })
  @ApiBody({ type: ClientCredentialsFormDto })
  @ApiOkResponse({ type: ClientTokenDto, headers: NO_STORE, description: 'An access token (RFC 6749 §5.1)' })
  @ApiResponse({
    status: 400,
    type: OAuthErrorDto,
    headers: NO_STORE,
    description:
      'invalid_request (a parameter missing or repeated, two ways of authenticating), ' +
      'invalid_scope (a scope the client does not hold), unsupported_grant_type',
  })
  @ApiResponse({
    status: 401,
    type: OAuthErrorDto,
    description: 'invalid_client: no credentials, an unknown or revoked client, or a wrong or retired secret',
    headers: {
      ...NO_STORE,
      'WWW-Authenticate': { description: CLIENT_CHALLENGE, schema: { type: 'string' }, required: true },
    },
  })
  @ApiProblemsOnly(
    'UNSUPPORTED_MEDIA_TYPE',
    'RATE_LIMITED',
    'UPSTREAM_UNAVAILABLE',
    'UPSTREAM_TIMEOUT',
    'INTERNAL',
  )
  token(@Req() req: FastifyRequest): Promise<ClientTokenDto> {
    const grant = readClientCredentialsGrant(req.body, req.query, req.headers.authorization);
    return this.services.call('auth', RPC.auth.issueClientToken, { body: grant, ip: req.ip });
  }
}
