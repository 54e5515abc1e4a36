import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClientTokenDto, IssueClientTokenDto } from '@lib/contracts';
import { AuthSettings } from '../../auth.settings';
import { AccessTokenSigner } from '../../keys/ports/access-token-signer';
import { PrincipalRevocations } from '../../revocations/ports/principal-revocations';
import { acceptsSecret, grantedScopes } from '../domain/api-client';
import { invalidClient } from '../domain/api-clients.errors';
import { ApiClientsRepository } from '../ports/api-clients.repository';

/**
 * The client-credentials grant (RFC 6749 §4.4), as the gateway parsed it: an active client with
 * its current secret (or the previous one, within its grace) gets an RS256 token for the scopes
 * it asked for, all of them granted, or for all its grants when it asked for none.
 *
 * No transaction: two reads by id and one conditional write, `lastTokenAt` on the client while it
 * is still ACTIVE. That write is what orders this against a concurrent revoke (see the port), so a
 * token is either refused here or dated before the revocation that refuses it.
 */
@Injectable()
export class IssueClientTokenHandler {
  constructor(
    private readonly clients: ApiClientsRepository,
    private readonly revocations: PrincipalRevocations,
    private readonly signer: AccessTokenSigner,
    private readonly settings: AuthSettings,
  ) {}

  async execute(grant: IssueClientTokenDto): Promise<ClientTokenDto> {
    const now = new Date();
    const [client, issuedAt] = await Promise.all([
      this.clients.findById(grant.clientId),
      this.revocations.issuedAt(grant.clientId, now),
    ]);
    if (client?.status !== 'ACTIVE' || !acceptsSecret(client, grant.clientSecret, now)) {
      throw invalidClient();
    }
    const scopes = grantedScopes(client, grant.scope);
    if (!(await this.clients.recordTokenIssued(client.clientId, now))) throw invalidClient();
    const ttlSeconds = this.settings.clientTokenTtlSeconds;
    const accessToken = await this.signer.signClient(
      { clientId: client.clientId, scopes, tokenId: randomUUID() },
      { ttlSeconds, issuedAt },
    );
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      scope: scopes.join(' '),
    };
  }
}
