import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENTS } from '@lib/contracts';
import { EventConsumer } from '@lib/messaging';
import { AppendAuditEntryHandler } from './append-audit-entry.handler';

export const AUDIT_CONSUMER = 'auth.audit-log';

/**
 * Every service's `audit.recorded` events, into the one audit log. The handler is the log's only
 * writer, and runs in the transaction that also records the event as processed, so a redelivered
 * event is appended once. A payload that breaks AuditRecordedV1's rules is dead-lettered at once.
 */
@Injectable()
export class AppendAuditEntryConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly appendEntry: AppendAuditEntryHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.subscribe({
      consumer: AUDIT_CONSUMER,
      events: [EVENTS.auditRecorded],
      // Appends contend for the chain head: one at a time per replica keeps retries rare.
      prefetch: 1,
      maxAttempts: 10,
      handle: (event) => this.appendEntry.execute(event),
    });
  }
}
