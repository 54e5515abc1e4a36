import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction, EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';

/**
 * How auth's own admin writes are audited: `audit.recorded` through the outbox, in the caller's
 * unit of work, exactly like every other service's. The log then has one writer path (the
 * consumer), whoever made the change.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly outbox: Outbox) {}

  /** Inside UnitOfWork.run, with the write it describes. Returns the auditId. */
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
