import {
  RPC,
  type AuditEntryDto,
  type ClientTokenDto,
  type CreatedApiClientDto,
  type Page,
} from '@lib/contracts';
import { DomainError } from '@lib/errors';
import type { RpcClient } from '@lib/messaging';
import { waitFor } from '@lib/testing';

type Caller = { caller: { accessToken: string } };

/** An admin creates an API client over RPC: the answer with its secret, shown this once. */
export function createApiClient(
  rpc: RpcClient,
  admin: Caller,
  scopes: string[] = ['purchases:write'],
  name = 'Store 042 till',
): Promise<CreatedApiClientDto> {
  return rpc.send<CreatedApiClientDto>('auth', RPC.auth.createApiClient, {
    caller: admin.caller,
    body: { name, scopes },
  });
}

/** The client-credentials grant as the gateway forwards it. */
export function issueClientToken(
  rpc: RpcClient,
  clientId: string,
  clientSecret: string,
  scope?: string,
): Promise<ClientTokenDto> {
  return rpc.send<ClientTokenDto>('auth', RPC.auth.issueClientToken, {
    body: { clientId, clientSecret, ...(scope !== undefined && { scope }) },
  });
}

/** The DomainError a call was refused with; fails the test when it succeeded or failed otherwise. */
export async function refusal(call: Promise<unknown>): Promise<DomainError> {
  const outcome = await call.then(
    (value) => new Error(`expected a refusal, got ${JSON.stringify(value)}`),
    (err: unknown) => err,
  );
  if (!(outcome instanceof DomainError)) throw outcome;
  return outcome;
}

/** The audit entries of `action` on `target`, newest first, once the audit consumer has appended `atLeast`. */
export function auditEntries(
  rpc: RpcClient,
  admin: Caller,
  action: string,
  target: string,
  atLeast = 1,
): Promise<AuditEntryDto[]> {
  return waitFor(`the ${action} audit entry of ${target}`, async () => {
    const page = await rpc.send<Page<AuditEntryDto>>('auth', RPC.auth.listAuditLogs, {
      caller: admin.caller,
      query: { action, target },
    });
    return page.items.length >= atLeast ? page.items : undefined;
  });
}
