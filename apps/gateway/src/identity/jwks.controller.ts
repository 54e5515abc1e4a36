import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JwksDto } from '@lib/contracts';
import { JwksCache } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';

/** The public keys, served from the gateway's own JWKS cache (refreshed from auth). */
@ApiTags('Identity')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly jwks: JwksCache) {}

  @Get('jwks.json')
  @ApiOperation({ summary: 'The public keys that verify access tokens (JWKS)', security: [] })
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ type: JwksDto })
  @ApiProblems()
  keys(): Promise<JwksDto> {
    return this.jwks.keySet() as Promise<JwksDto>;
  }
}
