import { Injectable } from '@nestjs/common';
import { AUDIT_ACTIONS, auditTarget } from '@lib/contracts';
import { UnitOfWork } from '@lib/persistence';
import { AuditTrail } from '../../audit/ports/audit-trail';
import { PrincipalRevocations } from '../../revocations/ports/principal-revocations';
import { apiClientNotFound } from '../domain/api-clients.errors';
import { ApiClientsRepository } from '../ports/api-clients.repository';

/**
 * An admin revokes an API client: it gets no more tokens, and every token it holds is refused
 * within seconds everywhere. One transaction marks it REVOKED, records the revocation with its
 * `auth.principal.revoked` event, and adds the audit entry.
 */
@Injectable()
export class RevokeApiClientHandler {
  constructor(
    private readonly clients: ApiClientsRepository,
    private readonly revocations: PrincipalRevocations,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(actor: { userId: string }, clientId: string): Promise<void> {
    await this.uow.run(async () => {
      const now = new Date();
      const client = await this.clients.findById(clientId);
      if (client?.status !== 'ACTIVE' || !(await this.clients.revoke(clientId, now))) {
        throw apiClientNotFound();
      }
      await this.revocations.revoke(clientId, now);
      await this.audit.record(
        actor.userId,
        AUDIT_ACTIONS.apiClientRevoked,
        auditTarget('api-client', clientId),
        { name: client.name, scopes: client.scopes },
        now,
      );
    });
  }
}
