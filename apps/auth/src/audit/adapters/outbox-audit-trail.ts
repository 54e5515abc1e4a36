import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction, EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { AuditTrail } from '../ports/audit-trail';

/**
 * Auth's own admin writes are audited like every other service's: `audit.recorded` through the
 * outbox, in the caller's unit of work. The log then has one writer path (the consumer), whoever
 * made the change.
 */
@Injectable()
export class OutboxAuditTrail extends AuditTrail {
  constructor(private readonly outbox: Outbox) {
    super();
  }

  async record(
    actorId: string,
    action: AuditAction,
    target: string,
    details: Record<string, unknown>,
    at = new Date(),
  ): Promise<string> {
    const eventId = randomUUID();
    await this.outbox.add(EVENTS.auditRecorded, {
      eventId,
      occurredAt: at.toISOString(),
      actorId,
      action,
      target,
      details,
    });
    return eventId;
  }
}
