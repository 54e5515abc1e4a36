import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditRecordedV1, EVENTS } from '@lib/contracts';
import { AmqpConnection, EventConsumer, afterBrokerSetup } from '@lib/messaging';
import { LOGGER, Logger } from '@lib/observability';
import { AuditLogRepository } from './audit-log.repository';
import { chainEntry } from './domain/audit-chain';

export const AUDIT_CONSUMER = 'auth.audit-log';

/**
 * Appends every service's `audit.recorded` events to the one audit log. It is the log's only
 * writer: each append reads the chain head and writes after it in the transaction that also
 * records the event as processed, so a redelivered event is appended once, and appends from
 * several replicas serialize on the head.
 */
@Injectable()
export class AppendAuditEntryConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly log: AuditLogRepository,
    private readonly amqp: AmqpConnection,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await afterBrokerSetup(this.amqp, this.logger, AUDIT_CONSUMER, () => this.subscribe());
  }

  private async subscribe(): Promise<void> {
    await this.consumer.subscribe({
      consumer: AUDIT_CONSUMER,
      events: [EVENTS.auditRecorded],
      // Appends contend for the chain head: one at a time per replica keeps retries rare.
      prefetch: 1,
      maxAttempts: 10,
      validate: invalidAuditEvent,
      handle: (event) => this.append(event),
    });
  }

  async append(event: AuditRecordedV1): Promise<void> {
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

/** A reason when the event can never become an entry (it is dead-lettered at once). */
export function invalidAuditEvent(payload: unknown): string | undefined {
  const e = payload as Partial<AuditRecordedV1>;
  for (const field of ['actorId', 'action', 'target'] as const) {
    if (typeof e[field] !== 'string' || !e[field]) return `${field} missing`;
  }
  if (
    e.details !== undefined &&
    (typeof e.details !== 'object' || e.details === null || Array.isArray(e.details))
  )
    return 'details must be an object';
  if (typeof e.occurredAt !== 'string' || Number.isNaN(Date.parse(e.occurredAt))) return 'occurredAt invalid';
  return undefined;
}
