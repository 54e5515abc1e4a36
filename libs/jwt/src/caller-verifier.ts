import type { RpcRequest } from '@lib/contracts';
import { Access, assertAccess } from './access';
import { AccessTokenVerifier } from './access-token-verifier';
import { AuthenticatedUser } from './authenticated-user';

/**
 * For services: re-verifies the access token an RPC request carries, so a service never trusts a
 * caller it did not take from a verified token (not even one the gateway vouches for), and checks
 * the caller against `access` again: people roles and API-client scopes (see assertAccess). With
 * no access given, any person may call and no API client can.
 */
export class CallerVerifier {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  async caller(
    request: Pick<RpcRequest, 'caller'> | undefined,
    ...access: Access[]
  ): Promise<AuthenticatedUser> {
    const user = await this.verifier.verify(request?.caller?.accessToken);
    assertAccess(user, access);
    return user;
  }
}
