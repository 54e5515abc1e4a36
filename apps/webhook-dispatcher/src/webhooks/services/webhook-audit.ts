import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS, auditTarget, type AuditAction } from '@lib/contracts';
import { Outbox } from '@lib/messaging';

/** An admin's change to an endpoint, for the audit log: written in the change's unit of work. */
@Injectable()
export class WebhookAudit {
  constructor(private readonly outbox: Outbox) {}

  record(
    actorId: string,
    action: AuditAction,
    webhookId: string,
    details: Record<string, unknown>,
    at: Date,
  ) {
    return this.outbox.add(EVENTS.auditRecorded, {
      eventId: randomUUID(),
      occurredAt: at.toISOString(),
      actorId,
      action,
      target: auditTarget('webhook', webhookId),
      details,
    });
  }
}
