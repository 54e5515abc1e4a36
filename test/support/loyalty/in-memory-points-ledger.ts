import type { CursorKey } from '@lib/paging';
import {
  oldestFirst,
  type Lot,
  type LotSpend,
  type PayerSpend,
} from '../../../apps/loyalty/src/ledger/domain/payer-lots';
import {
  AccountState,
  DayTotals,
  EntryRecord,
  NewLot,
  PointsLedgerRepository,
} from '../../../apps/loyalty/src/ledger/ports/points-ledger.repository';
import { GroupLedgerSnapshot, summarizeLedger } from './ledger-invariants';

const copy = (a: AccountState): AccountState => ({ ...a, byPayer: { ...a.byPayer } });

/**
 * The points ledger's store in memory, refusing what the Mongo adapter and the collection
 * validators refuse (an overdrawn balance, payer or lot; two entries on one seq). The property
 * tests run the real LedgerWriter on it thousands of times against NaiveLedger. It takes the place
 * of GroupLedger, an in-memory copy of the writer's sequences that only the specs used.
 */
export class InMemoryPointsLedger extends PointsLedgerRepository {
  private readonly accounts = new Map<string, AccountState>();
  private readonly lots: NewLot[] = [];
  private readonly entries: EntryRecord[] = [];

  async account(groupId: string): Promise<AccountState | null> {
    const account = this.accounts.get(groupId);
    return account ? copy(account) : null;
  }

  async credit(groupId: string, payer: string, points: number): Promise<AccountState> {
    const account = this.accounts.get(groupId) ?? { groupId, balance: 0, byPayer: {}, seq: 0 };
    account.balance += points;
    account.byPayer[payer] = (account.byPayer[payer] ?? 0) + points;
    account.seq += 1;
    this.accounts.set(groupId, account);
    return copy(account);
  }

  async debit(groupId: string, payers: PayerSpend[]): Promise<AccountState> {
    const account = this.accounts.get(groupId);
    const total = payers.reduce((sum, p) => sum + p.points, 0);
    if (
      !account ||
      account.balance < total ||
      payers.some((p) => (account.byPayer[p.payer] ?? 0) < p.points)
    ) {
      throw new Error(`refused: debiting ${total} points would overdraw group ${groupId}`);
    }
    account.balance -= total;
    for (const { payer, points } of payers) account.byPayer[payer] -= points;
    account.seq += payers.length;
    return copy(account);
  }

  async openLots(groupId: string, atLeast: number, payer?: string): Promise<Lot[]> {
    const open = this.lots
      .filter((lot) => lot.groupId === groupId && lot.remaining > 0 && (!payer || lot.payer === payer))
      .sort(oldestFirst);
    const lots: Lot[] = [];
    let held = 0;
    for (const { lotId, payer: owner, timestamp, seq, remaining } of open) {
      if (held >= atLeast) break;
      lots.push({ lotId, payer: owner, timestamp, seq, remaining });
      held += remaining;
    }
    return lots;
  }

  async addLot(lot: NewLot): Promise<void> {
    this.lots.push({ ...lot });
  }

  async spendLots(spends: LotSpend[]): Promise<void> {
    const lots = spends.map((spend) => this.lots.find((lot) => lot.lotId === spend.lotId));
    if (lots.some((lot, i) => !lot || lot.remaining < spends[i].points)) {
      throw new Error('refused: a lot no longer holds what was planned');
    }
    lots.forEach((lot, i) => (lot!.remaining -= spends[i].points));
  }

  async appendEntries(entries: EntryRecord[]): Promise<void> {
    for (const entry of entries) {
      if (this.entries.some((e) => e.groupId === entry.groupId && e.seq === entry.seq)) {
        throw new Error(`refused: group ${entry.groupId} already has an entry ${entry.seq}`);
      }
      this.entries.push({ ...entry });
    }
  }

  async history(groupId: string, limit: number, after?: CursorKey): Promise<EntryRecord[]> {
    return this.entriesOf(groupId)
      .filter((e) => after === undefined || e.seq < (after[0] as number))
      .reverse()
      .slice(0, limit);
  }

  async totalsByDay(since: Date): Promise<DayTotals[]> {
    const days = new Map<string, DayTotals>();
    for (const e of this.entries.filter((entry) => entry.createdAt >= since)) {
      const date = e.createdAt.toISOString().slice(0, 10);
      const day = days.get(date) ?? { date, earned: 0, redeemed: 0 };
      if (e.type === 'EARN' || (e.type === 'ADJUST' && e.points > 0)) day.earned += e.points;
      if (e.type === 'REDEEM') day.redeemed -= e.points;
      days.set(date, day);
    }
    return [...days.values()];
  }

  /** What the group's ledger holds, for the invariants (as snapshotGroupLedger reads MongoDB). */
  snapshot(groupId: string): GroupLedgerSnapshot {
    const lots = this.lots.filter((lot) => lot.groupId === groupId);
    return summarizeLedger(this.accounts.get(groupId) ?? null, this.entriesOf(groupId), lots);
  }

  private entriesOf(groupId: string): EntryRecord[] {
    return this.entries.filter((e) => e.groupId === groupId).sort((a, b) => a.seq - b.seq);
  }
}
