import type { CursorKey, KeysetField } from '@lib/paging';
import type { Balances, EntryType } from '../domain/ledger-rules';
import type { BalanceDelta, LotTransition, TimedLot } from '../domain/lot-settlement';
import type { Lot, LotSpend, PayerSpend } from '../domain/payer-lots';

/** Far in the future: "nothing is due". A date, not null, so `$min` can lower it. */
export const NEVER = new Date('9999-12-31T00:00:00.000Z');

/** A group's account: balances plus `seq`, the last sequence number given to its lots and entries. */
export interface AccountState extends Balances {
  groupId: string;
  seq: number;
  /** Points waiting out their pending days (never in `balance`). */
  pending: number;
  /**
   * The earliest moment a lot's state changes by time alone (a pending lot matures, an available
   * one expires), or NEVER. Until then the counters above are exact; from then on a read settles
   * the due lots on the fly and a write (or the sweep) persists it.
   */
  nextChangeAt: Date;
  /** Payers this group has had negative payer transactions from: a late lot re-orders them. */
  debitedPayers: string[];
  /** The tier last announced (tier.changed); absent: the lowest. */
  tier?: string;
  /** When the tier must be looked at again as the qualifying window rolls, or NEVER. */
  tierReviewAt: Date;
}

/** Where a lot came from: purchases earn (and qualify for tiers); payer transactions adjust. */
export type LotKind = 'EARN' | 'ADJUST';

export interface NewLot extends Lot, TimedLot {
  groupId: string;
  kind: LotKind;
  /** What the lot started with: points = remaining + spent + expired + refunded. */
  points: number;
  /** The purchaseId or transactionId that funded it. */
  reference: string;
  expired: number;
  refunded: number;
  /** Points that count towards tiers: a purchase's points less what its refunds took back. */
  qualifying: number;
}
export type LotRecord = NewLot;

/** A change to one lot, applied only if the lot still holds `expect` (else the write throws). */
export interface LotChange {
  lotId: string;
  expect?: { remaining?: number; pending?: boolean };
  /** Signed deltas. */
  remaining?: number;
  expired?: number;
  refunded?: number;
  qualifying?: number;
  matured?: boolean;
}

export function lotChangeOf(transition: LotTransition): LotChange {
  return {
    lotId: transition.lotId,
    expect: transition.expect,
    matured: transition.matured || undefined,
    remaining: transition.expired ? -transition.expired : undefined,
    expired: transition.expired || undefined,
  };
}

/** A general account change: signed counters, seqs taken, and fields set. */
export interface AccountChange extends Partial<BalanceDelta> {
  seqs?: number;
  nextChangeAt?: Date;
  tier?: string;
  tierReviewAt?: Date;
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
  reason?: string | null;
  createdAt: Date;
  /** The member, admin or API client whose request wrote it (`system` for the sweep). */
  actorId: string;
}

/** History pages newest first: by the group's entry sequence, descending. */
export const HISTORY_ORDER: readonly KeysetField[] = [{ path: 'seq', order: 'desc' }];

export interface DayTotals {
  date: string;
  earned: number;
  redeemed: number;
}

export interface QualifyingPoints {
  points: number;
  /** The oldest qualifying lot's time: when the window first drops points. */
  oldest: Date | null;
}

/**
 * The points ledger's store. Every write must run inside UnitOfWork.run; the adapter refuses any
 * change that would take a balance, a payer's balance, pending points or a lot below zero
 * (conditional updates and collection validators), whatever the caller computed.
 */
export abstract class PointsLedgerRepository {
  abstract account(groupId: string): Promise<AccountState | null>;
  /**
   * Adds a lot's points to the balance (or to pending) and takes the next seq, creating the
   * account on first use; lowers nextChangeAt to `changeAt` when given.
   */
  abstract credit(
    groupId: string,
    credit: { payer: string; points: number; pending: boolean; changeAt: Date | null },
  ): Promise<AccountState>;
  /**
   * Takes the payers' points and `payers.length` seqs. Throws if any payer or the balance would
   * go below zero (a broken invariant: callers plan from the same transaction's snapshot).
   */
  abstract debit(groupId: string, payers: PayerSpend[], debitedPayer?: string): Promise<AccountState>;
  /** Any other change; throws (refusing it) if a counter would go below zero. */
  abstract change(groupId: string, change: AccountChange): Promise<AccountState>;
  /** Available lots with points left, oldest first, until they hold at least `atLeast` points (or all). */
  abstract openLots(groupId: string, atLeast: number, payer?: string): Promise<Lot[]>;
  /**
   * The account and its open lots (as `openLots` gives them) in one read. `lots` is null when the
   * store read only the oldest few and they hold less than `atLeast`: ask `openLots` for the rest.
   */
  abstract accountWithOpenLots(
    groupId: string,
    atLeast: number,
    payer?: string,
  ): Promise<{ account: AccountState | null; lots: Lot[] | null }>;
  abstract lots(lotIds: string[]): Promise<LotRecord[]>;
  /** Lots that `now` changes: pending ones past availableAt, ones with points left past expiresAt. */
  abstract dueLots(groupId: string, now: Date): Promise<LotRecord[]>;
  /** The earliest availableAt of a pending lot or expiresAt of a lot with points left, or NEVER. */
  abstract nextChange(groupId: string): Promise<Date>;
  /** Lots with points left expiring in (from, until], soonest first. */
  abstract expiring(groupId: string, from: Date, until: Date): Promise<LotRecord[]>;
  /** Qualifying points of EARN lots dated after `since`. */
  abstract qualifying(groupId: string, since: Date): Promise<QualifyingPoints>;
  /**
   * `atCommit`: the lot may be written when the transaction commits (with the other lots of a
   * shared transaction in one insert), for a caller that reads none of the group's lots after.
   */
  abstract addLot(lot: NewLot, options?: { atCommit?: boolean }): Promise<void>;
  /** Each spend only if its lot still has that many points left; throws otherwise. */
  abstract spendLots(spends: LotSpend[]): Promise<void>;
  abstract changeLots(changes: LotChange[]): Promise<void>;
  abstract appendEntries(entries: EntryRecord[]): Promise<void>;
  /** In HISTORY_ORDER; `after` (a key of that order) continues a page. */
  abstract history(groupId: string, limit: number, after?: CursorKey): Promise<EntryRecord[]>;
  /** How many entries the group's history holds in all (every page). */
  abstract countEntries(groupId: string): Promise<number>;
  /** Across all groups, per UTC day from `since`: EARN plus positive ADJUST, and REDEEM. */
  abstract totalsByDay(since: Date): Promise<DayTotals[]>;
  /** Groups with something due by `now` (lots to settle, a tier to review), at most `limit`. */
  abstract groupsDue(now: Date, limit: number): Promise<string[]>;
  /** Every group with an announced tier is reviewed at `at` (the tier table changed). */
  abstract reviewTiers(at: Date): Promise<void>;
}
