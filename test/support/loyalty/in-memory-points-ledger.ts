import type { CursorKey } from '@lib/paging';
import {
  oldestFirst,
  type Lot,
  type LotSpend,
  type PayerSpend,
} from '../../../apps/loyalty/src/ledger/domain/payer-lots';
import {
  AccountChange,
  AccountState,
  DayTotals,
  EntryRecord,
  LotChange,
  LotRecord,
  NEVER,
  NewLot,
  PointsLedgerRepository,
  QualifyingPoints,
} from '../../../apps/loyalty/src/ledger/ports/points-ledger.repository';
import type { LedgerRows } from './ledger-invariants';

const copyAccount = (a: AccountState): AccountState => ({
  ...a,
  byPayer: { ...a.byPayer },
  debitedPayers: [...a.debitedPayers],
});
const copyLot = (lot: LotRecord): LotRecord => ({ ...lot });

function refused(why: string): Error {
  return new Error(`refused: ${why}`);
}

/** What the lot collection's validator refuses: a negative counter, or more accounted than the lot holds. */
function lotBooksBroken(lot: LotRecord): string | null {
  if (!(lot.points >= 1)) return `lot ${lot.lotId} has ${lot.points} points`;
  for (const field of ['remaining', 'expired', 'refunded', 'qualifying'] as const) {
    if (lot[field] < 0) return `lot ${lot.lotId} would have ${field} ${lot[field]}`;
  }
  if (lot.remaining + lot.expired + lot.refunded > lot.points) {
    return `lot ${lot.lotId} would account for more than its ${lot.points} points`;
  }
  return null;
}

/**
 * The points ledger's store in memory, refusing what the Mongo adapter and the collection
 * validators refuse: a counter of the account below zero, a spend or change of a lot that no longer
 * holds what was planned (`expect`, or not enough left), a lot whose books don't add up (remaining
 * + expired + refunded ≤ points, nothing negative), two entries on one seq. Each call applies all
 * of its writes or none. The property tests run the real use cases on it (with the other
 * in-memory adapters: in-memory-ledger-process.ts) thousands of times against a plain model.
 */
export class InMemoryPointsLedger extends PointsLedgerRepository {
  private readonly accounts = new Map<string, AccountState>();
  /** In insertion order, as a collection scan returns them. */
  private readonly lotsById = new Map<string, LotRecord>();
  private readonly entries: EntryRecord[] = [];

  async account(groupId: string): Promise<AccountState | null> {
    const account = this.accounts.get(groupId);
    return account ? copyAccount(account) : null;
  }

  async credit(
    groupId: string,
    credit: { payer: string; points: number; pending: boolean; changeAt: Date | null },
  ): Promise<AccountState> {
    const account = this.accounts.get(groupId) ?? {
      groupId,
      balance: 0,
      byPayer: {},
      seq: 0,
      pending: 0,
      nextChangeAt: NEVER,
      debitedPayers: [],
      tierReviewAt: NEVER,
    };
    const { payer, points } = credit;
    // As in MongoDB: a new payer shows in byPayer at 0 while its points are pending.
    if (credit.pending) {
      account.pending += points;
      account.byPayer[payer] ??= 0;
    } else {
      account.balance += points;
      account.byPayer[payer] = (account.byPayer[payer] ?? 0) + points;
    }
    account.seq += 1;
    const changeAt = credit.changeAt ?? NEVER;
    if (changeAt < account.nextChangeAt) account.nextChangeAt = changeAt;
    this.accounts.set(groupId, account);
    return copyAccount(account);
  }

  async debit(groupId: string, payers: PayerSpend[], debitedPayer?: string): Promise<AccountState> {
    const account = this.accounts.get(groupId);
    const total = payers.reduce((sum, p) => sum + p.points, 0);
    if (
      !account ||
      account.balance < total ||
      payers.some((p) => (account.byPayer[p.payer] ?? 0) < p.points)
    ) {
      throw refused(`debiting ${total} points would overdraw group ${groupId}`);
    }
    account.balance -= total;
    for (const { payer, points } of payers) account.byPayer[payer] -= points;
    account.seq += payers.length;
    if (debitedPayer && !account.debitedPayers.includes(debitedPayer))
      account.debitedPayers.push(debitedPayer);
    return copyAccount(account);
  }

  async change(groupId: string, change: AccountChange): Promise<AccountState> {
    const current = this.accounts.get(groupId);
    if (!current) throw refused(`group ${groupId} has no account to change`);
    const next = copyAccount(current);
    next.balance += change.balance ?? 0;
    next.pending += change.pending ?? 0;
    for (const [payer, delta] of Object.entries(change.byPayer ?? {})) {
      // MongoDB's filter for a lowered payer needs the field to exist: a missing payer can't go down.
      if (delta < 0 && next.byPayer[payer] === undefined)
        throw refused(`group ${groupId} has no ${payer} points`);
      if (delta !== 0) next.byPayer[payer] = (next.byPayer[payer] ?? 0) + delta;
    }
    if (next.balance < 0 || next.pending < 0 || Object.values(next.byPayer).some((p) => p < 0)) {
      throw refused(`the change would take a counter of group ${groupId} below zero`);
    }
    next.seq += change.seqs ?? 0;
    if (change.nextChangeAt) next.nextChangeAt = change.nextChangeAt;
    if (change.tier !== undefined) next.tier = change.tier;
    if (change.tierReviewAt) next.tierReviewAt = change.tierReviewAt;
    this.accounts.set(groupId, next);
    return copyAccount(next);
  }

  async openLots(groupId: string, atLeast: number, payer?: string): Promise<Lot[]> {
    const open = [...this.lotsById.values()]
      .filter(
        (lot) =>
          lot.groupId === groupId && lot.remaining > 0 && !lot.pending && (!payer || lot.payer === payer),
      )
      .sort(oldestFirst);
    const lots: Lot[] = [];
    let held = 0;
    // As the Mongo cursor: take a lot, then stop once they hold enough.
    for (const { lotId, payer: owner, timestamp, seq, remaining } of open) {
      lots.push({ lotId, payer: owner, timestamp, seq, remaining });
      held += remaining;
      if (held >= atLeast) break;
    }
    return lots;
  }

  async accountWithOpenLots(
    groupId: string,
    atLeast: number,
    payer?: string,
  ): Promise<{ account: AccountState | null; lots: Lot[] | null }> {
    return { account: await this.account(groupId), lots: await this.openLots(groupId, atLeast, payer) };
  }

  async lots(lotIds: string[]): Promise<LotRecord[]> {
    const wanted = new Set(lotIds);
    return [...this.lotsById.values()].filter((lot) => wanted.has(lot.lotId)).map(copyLot);
  }

  async dueLots(groupId: string, now: Date): Promise<LotRecord[]> {
    return this.lotsOf(groupId)
      .filter(
        (lot) =>
          (lot.pending && lot.availableAt <= now) ||
          (lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= now),
      )
      .map(copyLot);
  }

  async nextChange(groupId: string): Promise<Date> {
    let next = NEVER.getTime();
    for (const lot of this.lotsOf(groupId)) {
      if (lot.pending) next = Math.min(next, lot.availableAt.getTime());
      if (lot.remaining > 0 && lot.expiresAt) next = Math.min(next, lot.expiresAt.getTime());
    }
    return new Date(next);
  }

  async expiring(groupId: string, from: Date, until: Date): Promise<LotRecord[]> {
    return this.lotsOf(groupId)
      .filter((lot) => lot.remaining > 0 && lot.expiresAt && lot.expiresAt > from && lot.expiresAt <= until)
      .sort((a, b) => a.expiresAt!.getTime() - b.expiresAt!.getTime())
      .slice(0, 1000)
      .map(copyLot);
  }

  async qualifying(groupId: string, since: Date): Promise<QualifyingPoints> {
    const lots = this.lotsOf(groupId).filter(
      (lot) => lot.kind === 'EARN' && lot.qualifying > 0 && lot.timestamp > since,
    );
    const oldest = lots.reduce<Date | null>(
      (min, lot) => (!min || lot.timestamp < min ? lot.timestamp : min),
      null,
    );
    return { points: lots.reduce((sum, lot) => sum + lot.qualifying, 0), oldest };
  }

  async addLot(lot: NewLot): Promise<void> {
    if (this.lotsById.has(lot.lotId)) throw refused(`lot ${lot.lotId} exists`);
    const broken = lotBooksBroken(lot);
    if (broken) throw refused(broken);
    this.lotsById.set(lot.lotId, copyLot(lot));
  }

  async spendLots(spends: LotSpend[]): Promise<void> {
    this.applyToLots(
      spends.map(({ lotId, points }) => ({ lotId, remaining: -points })),
      'a lot no longer holds what was planned',
    );
  }

  async changeLots(changes: LotChange[]): Promise<void> {
    this.applyToLots(changes, 'lots no longer hold what was planned');
  }

  async appendEntries(entries: EntryRecord[]): Promise<void> {
    const taken = new Set(this.entries.map((e) => `${e.groupId}:${e.seq}`));
    for (const entry of entries) {
      const key = `${entry.groupId}:${entry.seq}`;
      if (taken.has(key)) throw refused(`group ${entry.groupId} already has an entry ${entry.seq}`);
      taken.add(key);
    }
    for (const entry of entries) this.entries.push({ ...entry });
  }

  async history(groupId: string, limit: number, after?: CursorKey): Promise<EntryRecord[]> {
    return this.entriesOf(groupId)
      .filter((e) => after === undefined || e.seq < (after[0] as number))
      .reverse()
      .slice(0, limit)
      .map((e) => ({ ...e }));
  }

  async countEntries(groupId: string): Promise<number> {
    return this.entriesOf(groupId).length;
  }

  async totalsByDay(since: Date): Promise<DayTotals[]> {
    const days = new Map<string, DayTotals>();
    for (const e of this.entries.filter((entry) => entry.createdAt >= since)) {
      const date = e.createdAt.toISOString().slice(0, 10);
      const day = days.get(date) ?? { date, earned: 0, redeemed: 0 };
      if (e.type === 'EARN' || (e.type === 'ADJUST' && e.points > 0)) day.earned += e.points;
      if (e.type === 'REDEEM' || e.type === 'REVERSAL') day.redeemed -= e.points;
      days.set(date, day);
    }
    return [...days.values()];
  }

  async groupsDue(now: Date, limit: number): Promise<string[]> {
    return [...this.accounts.values()]
      .filter((a) => a.nextChangeAt <= now || a.tierReviewAt <= now)
      .slice(0, limit)
      .map((a) => a.groupId);
  }

  async reviewTiers(at: Date): Promise<void> {
    for (const account of this.accounts.values()) if (account.tier !== undefined) account.tierReviewAt = at;
  }

  /** The group's account, lots and entries as the invariants read them (as snapshotGroupLedger reads MongoDB). */
  rows(groupId: string): Omit<LedgerRows, 'requests'> {
    const account = this.accounts.get(groupId);
    return {
      account: account ? copyAccount(account) : null,
      lots: this.lotsOf(groupId).map(copyLot),
      entries: this.entriesOf(groupId).map((e) => ({ ...e })),
    };
  }

  /**
   * Applies signed changes to lots, each only if its lot still holds `expect` and has enough left
   * for what it takes, and only if every lot's books still add up afterwards: all or nothing.
   */
  private applyToLots(changes: LotChange[], why: string): void {
    const next = new Map<string, LotRecord>();
    for (const change of changes) {
      const current = next.get(change.lotId) ?? this.lotsById.get(change.lotId);
      if (!current) throw refused(`${why} (lot ${change.lotId} doesn't exist)`);
      const { expect } = change;
      if (expect?.remaining !== undefined && current.remaining !== expect.remaining) throw refused(why);
      if (expect?.pending !== undefined && current.pending !== expect.pending) throw refused(why);
      if ((change.remaining ?? 0) < 0 && current.remaining < -change.remaining!) throw refused(why);
      const lot = copyLot(current);
      lot.remaining += change.remaining ?? 0;
      lot.expired += change.expired ?? 0;
      lot.refunded += change.refunded ?? 0;
      lot.qualifying += change.qualifying ?? 0;
      if (change.matured) lot.pending = false;
      const broken = lotBooksBroken(lot);
      if (broken) throw refused(broken);
      next.set(lot.lotId, lot);
    }
    for (const [lotId, lot] of next) this.lotsById.set(lotId, lot);
  }

  private lotsOf(groupId: string): LotRecord[] {
    return [...this.lotsById.values()].filter((lot) => lot.groupId === groupId);
  }

  private entriesOf(groupId: string): EntryRecord[] {
    return this.entries.filter((e) => e.groupId === groupId).sort((a, b) => a.seq - b.seq);
  }
}
