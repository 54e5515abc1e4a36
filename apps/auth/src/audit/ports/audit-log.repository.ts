import type { CountedPage } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { ChainedAuditEntry, ChainHead } from '../domain/audit-chain';

export interface AuditLogFilter {
  actorId?: string;
  /** An exact action, or every action starting with the text before a trailing `*`. */
  action?: string;
  target?: string;
  /** createdAt >= from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
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
   * One page, newest first by when the change was made (createdAt, then seq: a total order that
   * never changes): pages neither repeat nor skip. `total` counts every entry the filter matches.
   */
  abstract list(filter: AuditLogFilter, page: PageRequest): Promise<CountedPage<ChainedAuditEntry>>;
  /**
   * For each of `targets` (`<kind>:<id>`), the name its latest entry carrying one recorded: the
   * details' `name`, or `url` (webhooks). Targets with no such entry are left out. One query.
   */
  abstract recordedNames(targets: string[]): Promise<Map<string, string>>;
  /** Every entry up to `lastSeq`, in seq order, streamed from the store (never all in memory). */
  abstract walk(lastSeq: number): AsyncIterable<ChainedAuditEntry>;
}

/** The head moved between reading it and writing after it: retry on the new head. */
export class ChainMoved extends Error {
  constructor() {
    super('the audit chain head moved; retrying the append');
  }
}
