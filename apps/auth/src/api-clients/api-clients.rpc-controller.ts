import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  ApiClientParamsDto,
  CreateApiClientDto,
  IssueClientTokenDto,
  PageQueryDto,
  RPC,
  type ApiClientPageDto,
  type ApiClientSecretDto,
  type ClientTokenDto,
  type CreatedApiClientDto,
} from '@lib/contracts';
import { CallerVerifier } from '@lib/jwt';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { readPageRequest } from '@lib/paging';
import { CreateApiClientHandler } from './create-api-client/create-api-client.handler';
import { IssueClientTokenHandler } from './issue-client-token/issue-client-token.handler';
import { ListApiClientsHandler } from './list-api-clients/list-api-clients.handler';
import { RevokeApiClientHandler } from './revoke-api-client/revoke-api-client.handler';
import { RotateApiClientSecretHandler } from './rotate-api-client-secret/rotate-api-client-secret.handler';

/**
 * API clients: their administration (admins only, checked again here on the re-verified token),
 * and the client-credentials grant, whose only input is the client's own credentials.
 */
@Controller()
export class ApiClientsRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly createClient: CreateApiClientHandler,
    private readonly listClients: ListApiClientsHandler,
    private readonly rotateSecret: RotateApiClientSecretHandler,
    private readonly revokeClient: RevokeApiClientHandler,
    private readonly issueToken: IssueClientTokenHandler,
  ) {}

  @MessagePattern(RPC.auth.createApiClient)
  async create(
    @RpcPayload({ body: CreateApiClientDto }) req: ValidRpcRequest<CreateApiClientDto>,
  ): Promise<CreatedApiClientDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.createClient.execute(admin, req.body);
  }

  @MessagePattern(RPC.auth.listApiClients)
  async list(
    @RpcPayload({ query: PageQueryDto }) req: ValidRpcRequest<never, PageQueryDto>,
  ): Promise<ApiClientPageDto> {
    const page = readPageRequest(req.query);
    await this.callers.caller(req, 'admin');
    return this.listClients.execute(page);
  }

  @MessagePattern(RPC.auth.rotateApiClientSecret)
  async rotate(
    @RpcPayload({ params: ApiClientParamsDto }) req: ValidRpcRequest<never, never, ApiClientParamsDto>,
  ): Promise<ApiClientSecretDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.rotateSecret.execute(admin, req.params.clientId);
  }

  @MessagePattern(RPC.auth.revokeApiClient)
  async revoke(
    @RpcPayload({ params: ApiClientParamsDto }) req: ValidRpcRequest<never, never, ApiClientParamsDto>,
  ): Promise<Record<string, never>> {
    const admin = await this.callers.caller(req, 'admin');
    await this.revokeClient.execute(admin, req.params.clientId);
    return {};
  }

  @MessagePattern(RPC.auth.issueClientToken)
  token(
    @RpcPayload({ body: IssueClientTokenDto }) req: ValidRpcRequest<IssueClientTokenDto>,
  ): Promise<ClientTokenDto> {
    return this.issueToken.execute(req.body);
  }
}
