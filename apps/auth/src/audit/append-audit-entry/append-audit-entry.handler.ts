import { Injectable } from '@nestjs/common';
import type { AuditRecordedV1 } from '@lib/contracts';
import { chainEntry } from '../domain/audit-chain';
import { AuditLogRepository } from '../ports/audit-log.repository';

/**
 * Appends one `audit.recorded` event to the log, inside the consumer's unit of work: it reads the
 * chain head and writes after it, so appends from several replicas serialize on the head.
 */
@Injectable()
export class AppendAuditEntryHandler {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(event: AuditRecordedV1): Promise<void> {
    // Redeliveries are skipped by the consumer's processed-event record; this also covers one
    // arriving after that record expired (30 days): the entry is there, so nothing to do.
    if (await this.log.has(event.eventId)) return;
    const head = await this.log.head();
    await this.log.append(
      chainEntry(
        {
          auditId: event.eventId,
          actorId: event.actorId,
          action: event.action,
          target: event.target,
          details: event.details ?? {},
          createdAt: new Date(event.occurredAt).toISOString(),
        },
        head,
      ),
    );
  }
}
