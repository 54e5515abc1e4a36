import { Injectable } from '@nestjs/common';
import { AUDIT_ACTIONS, auditTarget, type ApiClientSecretDto } from '@lib/contracts';
import { UnitOfWork } from '@lib/persistence';
import { AuditTrail } from '../../audit/ports/audit-trail';
import { hashClientSecret, newClientSecret, rotatedSecrets } from '../domain/api-client';
import { apiClientNotFound } from '../domain/api-clients.errors';
import { ApiClientsRepository } from '../ports/api-clients.repository';

/**
 * An admin gives an active client a new secret, answered this once. The current secret keeps
 * working for 24 hours and the one before it stops at once. One transaction reads the client,
 * replaces its secrets and adds the audit entry, so concurrent rotations run one after the other.
 */
@Injectable()
export class RotateApiClientSecretHandler {
  constructor(
    private readonly clients: ApiClientsRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(actor: { userId: string }, clientId: string): Promise<ApiClientSecretDto> {
    const secret = newClientSecret();
    const secretHash = hashClientSecret(secret);
    return this.uow.run(async () => {
      const now = new Date();
      const client = await this.clients.findById(clientId);
      if (client?.status !== 'ACTIVE') throw apiClientNotFound();
      const secrets = rotatedSecrets(client, secretHash, now);
      if (!(await this.clients.replaceSecrets(clientId, secrets))) throw apiClientNotFound();
      const previousSecretExpiresAt = secrets.previousSecretExpiresAt.toISOString();
      await this.audit.record(
        actor.userId,
        AUDIT_ACTIONS.apiClientSecretRotated,
        auditTarget('api-client', clientId),
        { name: client.name, previousSecretExpiresAt },
        now,
      );
      return { clientSecret: secret, previousSecretExpiresAt };
    });
  }
}
