import type { RpcRequest } from '@lib/contracts';
import { Forbidden } from '@lib/errors';
import { AccessTokenVerifier } from './access-token-verifier';
import { AuthenticatedUser, Role } from './authenticated-user';

/**
 * For services: re-verifies the access token an RPC request carries, so a service never trusts a
 * user id it did not take from a verified token (not even one the gateway vouches for).
 */
export class CallerVerifier {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  async caller(
    request: Pick<RpcRequest, 'caller'> | undefined,
    ...roles: Role[]
  ): Promise<AuthenticatedUser> {
    const user = await this.verifier.verify(request?.caller?.accessToken);
    if (roles.length && !roles.some((role) => user.roles.includes(role))) {
      throw new Forbidden(`this needs the ${roles.join(' or ')} role`);
    }
    return user;
  }
}
