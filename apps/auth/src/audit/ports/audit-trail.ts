import type { AuditAction } from '@lib/contracts';

/**
 * How an admin write is audited: inside the caller's unit of work, with the write it describes,
 * so a change without its entry cannot exist. Returns the entry's auditId.
 */
export abstract class AuditTrail {
  abstract record(
    actorId: string,
    action: AuditAction,
    target: string,
    details: Record<string, unknown>,
    at?: Date,
  ): Promise<string>;
}
