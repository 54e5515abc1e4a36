import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiClientPageDto,
  ApiClientParamsDto,
  ApiClientSecretDto,
  CreateApiClientDto,
  CreatedApiClientDto,
  PageQueryDto,
  RPC,
} from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** A secret is shown once: no cache or proxy may keep the answer that carries it. */
const NO_STORE = { 'Cache-Control': { description: 'no-store', schema: { type: 'string' } } };

/**
 * API clients (tills, partners, back ends) and their secrets. Auth stores only a hash of each
 * secret, so the answers that create one are the only place it ever appears.
 */
@ApiTags('API clients (admin)')
@Controller('admin/api-clients')
@Authenticated('admin')
export class ApiClientsController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @ApiOperation({ summary: 'Create an API client with scopes; its secret is shown this once' })
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CreatedApiClientDto, headers: NO_STORE })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  create(@BearerToken() accessToken: string, @Body() body: CreateApiClientDto): Promise<CreatedApiClientDto> {
    return this.services.call('auth', RPC.auth.createApiClient, { accessToken, body });
  }

  @Get()
  @ApiOperation({ summary: 'The active API clients, never with a secret' })
  @ApiOkResponse({ type: ApiClientPageDto, description: 'Newest first' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  list(@BearerToken() accessToken: string, @Query() query: PageQueryDto): Promise<ApiClientPageDto> {
    return this.services.call('auth', RPC.auth.listApiClients, { accessToken, query: { ...query } });
  }

  @Post(':clientId/secrets')
  @ApiOperation({
    summary: "Rotate a client's secret",
    description:
      'The new secret is shown this once; the previous one keeps working for 24 hours, then stops.',
  })
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: ApiClientSecretDto, headers: NO_STORE })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  rotateSecret(
    @BearerToken() accessToken: string,
    @Param() params: ApiClientParamsDto,
  ): Promise<ApiClientSecretDto> {
    return this.services.call('auth', RPC.auth.rotateApiClientSecret, {
      accessToken,
      params: { clientId: params.clientId },
    });
  }

  @Delete(':clientId')
  @ApiOperation({
    summary: 'Revoke an API client',
    description: 'It gets no more tokens, and the tokens it holds are refused within 5 seconds.',
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  async revoke(@BearerToken() accessToken: string, @Param() params: ApiClientParamsDto): Promise<void> {
    await this.services.call('auth', RPC.auth.revokeApiClient, {
      accessToken,
      params: { clientId: params.clientId },
    });
  }
}
