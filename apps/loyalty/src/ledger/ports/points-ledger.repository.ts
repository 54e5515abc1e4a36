import type { CursorKey, KeysetField } from '@lib/paging';
import type { Balances, EntryType } from '../domain/ledger-rules';
import type { Lot, LotSpend, PayerSpend } from '../domain/payer-lots';

/** A group's account: balances plus `seq`, the last sequence number given to its lots and entries. */
export interface AccountState extends Balances {
  groupId: string;
  seq: number;
}

export interface NewLot extends Lot {
  groupId: string;
  /** What the lot started with. */
  points: number;
  /** The purchaseId or transactionId that funded it. */
  reference: string;
}

export interface EntryRecord {
  entryId: string;
  groupId: string;
  /** Per group, increasing: history pages by it. */
  seq: number;
  type: EntryType;
  points: number;
  payer: string;
  reference: string;
  balanceAfter: number;
  createdAt: Date;
  /** The member or admin whose request wrote it. */
  actorId: string;
}

/** History pages newest first: by the group's entry sequence, descending. */
export const HISTORY_ORDER: readonly KeysetField[] = [{ path: 'seq', order: 'desc' }];

export interface DayTotals {
  date: string;
  earned: number;
  redeemed: number;
}

/**
 * The points ledger's store. Every write must run inside UnitOfWork.run; the adapter refuses any
 * change that would take a balance, a payer's balance or a lot below zero (conditional updates
 * and collection validators), whatever the caller computed.
 */
export abstract class PointsLedgerRepository {
  abstract account(groupId: string): Promise<AccountState | null>;
  /** Adds points for one payer and takes the next seq (creating the account on first use). */
  abstract credit(groupId: string, payer: string, points: number): Promise<AccountState>;
  /**
   * Takes the payers' points and `payers.length` seqs. Throws if any payer or the balance would
   * go below zero (a broken invariant: callers plan from the same transaction's snapshot).
   */
  abstract debit(groupId: string, payers: PayerSpend[]): Promise<AccountState>;
  /** Lots with points left, oldest first, until they hold at least `atLeast` points (or all). */
  abstract openLots(groupId: string, atLeast: number, payer?: string): Promise<Lot[]>;
  abstract addLot(lot: NewLot): Promise<void>;
  /** Each spend only if its lot still has that many points left; throws otherwise. */
  abstract spendLots(spends: LotSpend[]): Promise<void>;
  abstract appendEntries(entries: EntryRecord[]): Promise<void>;
  /** In HISTORY_ORDER; `after` (a key of that order) continues a page. */
  abstract history(groupId: string, limit: number, after?: CursorKey): Promise<EntryRecord[]>;
  /** Across all groups, per UTC day from `since`: EARN plus positive ADJUST, and REDEEM. */
  abstract totalsByDay(since: Date): Promise<DayTotals[]>;
}
