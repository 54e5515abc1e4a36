import { RPC, type ApiClientScope, type ClientTokenDto, type CreatedApiClientDto } from '@lib/contracts';
import type { RpcClient } from '@lib/messaging';

/** An API client as the services see it: its id and a token from the client-credentials grant. */
export interface RpcApiClient {
  clientId: string;
  accessToken: string;
  /** Adds this client as the caller to the rest of an RPC request. */
  as(rest: object): object;
}

let made = 0;

/**
 * An admin creates an API client with `scopes` and the client gets its token, both straight from
 * auth's RPC queue (the real auth service, as the gateway's routes would ask it): service tests
 * need tokens that auth signed, without depending on the gateway's routes.
 */
export async function apiClientOverRpc(
  rpc: RpcClient,
  adminToken: string,
  scopes: ApiClientScope[],
): Promise<RpcApiClient> {
  const created = await rpc.send<CreatedApiClientDto>('auth', RPC.auth.createApiClient, {
    caller: { accessToken: adminToken },
    body: { name: `till ${process.pid}.${++made}`, scopes },
  });
  const token = await rpc.send<ClientTokenDto>('auth', RPC.auth.issueClientToken, {
    body: { clientId: created.clientId, clientSecret: created.clientSecret },
  });
  const accessToken = token.access_token;
  return {
    clientId: created.clientId,
    accessToken,
    as: (rest) => ({ caller: { accessToken }, ...rest }),
  };
}
