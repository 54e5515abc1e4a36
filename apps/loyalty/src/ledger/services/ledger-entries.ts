import { randomUUID } from 'node:crypto';
import type { EntryDraft } from '../domain/ledger-rules';
import type { EntryRecord } from '../ports/points-ledger.repository';

/** What every write records on its entries: whose ledger, why, by whom, and when. */
export interface LedgerWrite {
  groupId: string;
  /** The purchaseId, redemptionId, transactionId or refundId behind the write. */
  reference: string;
  /** The member, admin or API client whose request it is. */
  actorId: string;
  /** When it is recorded: the entries' createdAt, and the moment lots are judged at. */
  at: Date;
  reason?: string;
}

/** A draft entry, recorded: the write's group, reference, actor and time, at `seq`. */
export function entryOf(write: LedgerWrite, draft: EntryDraft, seq: number): EntryRecord {
  return {
    ...draft,
    reason: draft.reason ?? null,
    entryId: randomUUID(),
    groupId: write.groupId,
    seq,
    reference: write.reference,
    createdAt: write.at,
    actorId: write.actorId,
  };
}
