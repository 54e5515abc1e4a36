import { ChainedAuditEntry, ChainHead } from './domain/audit-chain';

export interface AuditLogFilter {
  actorId?: string;
  action?: string;
  target?: string;
  /** createdAt >= from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
}

/** Where a page of the list starts: after this entry, in (createdAt, seq) order, newest first. */
export interface AuditLogPosition {
  /** ISO-8601 */
  createdAt: string;
  seq: number;
}

/** The one append-only, hash-chained audit log. No method edits or deletes an entry. */
export abstract class AuditLogRepository {
  abstract has(auditId: string): Promise<boolean>;
  /** The end of the chain (EMPTY_CHAIN before the first entry). */
  abstract head(): Promise<ChainHead>;
  /**
   * Inside a unit of work: stores the entry and moves the head onto it, only if the head is still
   * at `entry.seq - 1`. Two concurrent appends (several consumers or replicas) both write the head
   * document, so one of them conflicts and its transaction is retried on the new head: appends
   * serialize, and a unique seq backs that up.
   */
  abstract append(entry: ChainedAuditEntry): Promise<void>;
  /**
   * Newest first by when the change was made (createdAt, then seq: a total order that never
   * changes), starting after `after`: pages neither repeat nor skip.
   */
  abstract list(
    filter: AuditLogFilter,
    limit: number,
    after?: AuditLogPosition,
  ): Promise<ChainedAuditEntry[]>;
  /** Every entry up to `lastSeq`, in seq order, streamed from the store (never all in memory). */
  abstract walk(lastSeq: number): AsyncIterable<ChainedAuditEntry>;
}

/** The head moved between reading it and writing after it: retry on the new head. */
export class ChainMoved extends Error {
  constructor() {
    super('the audit chain head moved; retrying the append');
  }
}
