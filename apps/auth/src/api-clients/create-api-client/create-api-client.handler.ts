import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AUDIT_ACTIONS,
  auditTarget,
  type CreateApiClientDto,
  type CreatedApiClientDto,
} from '@lib/contracts';
import { UnitOfWork } from '@lib/persistence';
import { AuditTrail } from '../../audit/ports/audit-trail';
import { ApiClient, hashClientSecret, newClientSecret, toApiClientView } from '../domain/api-client';
import { ApiClientsRepository } from '../ports/api-clients.repository';

/**
 * An admin creates an API client with its scopes. The secret is answered this once; the store
 * keeps its hash only. The client and its audit entry (never the secret) commit together.
 */
@Injectable()
export class CreateApiClientHandler {
  constructor(
    private readonly clients: ApiClientsRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(actor: { userId: string }, input: CreateApiClientDto): Promise<CreatedApiClientDto> {
    const secret = newClientSecret();
    const now = new Date();
    const client: ApiClient = {
      clientId: randomUUID(),
      name: input.name,
      scopes: [...input.scopes],
      status: 'ACTIVE',
      secretHash: hashClientSecret(secret),
      secretCreatedAt: now,
      previousSecretHash: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      revokedAt: null,
      lastTokenAt: null,
    };
    await this.uow.run(async () => {
      await this.clients.insert(client);
      await this.audit.record(
        actor.userId,
        AUDIT_ACTIONS.apiClientCreated,
        auditTarget('api-client', client.clientId),
        { name: client.name, scopes: client.scopes },
        now,
      );
    });
    return { ...toApiClientView(client, now), clientSecret: secret };
  }
}
