import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { AuthSettings, revocationRetentionMs } from '../../auth.settings';
import { issuedAtSeconds, revocationAt } from '../domain/revocation';
import { PrincipalRevocations } from '../ports/principal-revocations';
import { TokenRevocationsRepository } from '../ports/token-revocations.repository';

/**
 * Stores each revocation and announces it with `auth.principal.revoked` through the outbox, in the
 * caller's unit of work. The relay publishes it right after the commit, and every verifier (the
 * gateway and each service, auth included) hears it on its own broadcast queue.
 */
@Injectable()
export class OutboxPrincipalRevocations extends PrincipalRevocations {
  private readonly retentionMs: number;

  constructor(
    private readonly store: TokenRevocationsRepository,
    private readonly outbox: Outbox,
    settings: AuthSettings,
  ) {
    super();
    this.retentionMs = revocationRetentionMs(settings);
  }

  async revoke(principalId: string, at: Date): Promise<void> {
    await this.store.record(revocationAt(principalId, at, this.retentionMs));
    await this.outbox.add(EVENTS.principalRevoked, {
      eventId: randomUUID(),
      occurredAt: at.toISOString(),
      principalId,
      validAfter: at.toISOString(),
    });
  }

  async issuedAt(principalId: string, now: Date): Promise<number> {
    const validAfter = await this.store.validAfter(principalId);
    return issuedAtSeconds(now.getTime(), validAfter?.getTime() ?? null);
  }
}
