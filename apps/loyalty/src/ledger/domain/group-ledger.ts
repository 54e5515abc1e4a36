import { Balances, EntryDraft, planPayerDebit, planRedemption, spendEntries } from './ledger-rules';
import { Lot, oldestFirst, SpendPlan } from './payer-lots';

export interface LedgerEntry extends EntryDraft {
  seq: number;
  reference: string;
}

/**
 * One group's whole ledger in memory, built from the same rules the Mongo-backed handlers use
 * (planRedemption, planPayerDebit, spendEntries). The property tests check it against a naive
 * model; it is also a readable statement of what the store must end up holding.
 */
export class GroupLedger {
  private readonly lots: Lot[] = [];
  private readonly balances: Balances = { balance: 0, byPayer: {} };
  readonly entries: LedgerEntry[] = [];
  private seq = 0;

  get balance(): number {
    return this.balances.balance;
  }

  byPayer(): Record<string, number> {
    return { ...this.balances.byPayer };
  }

  openLots(): Lot[] {
    return this.lots.filter((lot) => lot.remaining > 0).sort(oldestFirst);
  }

  /** A purchase's points, or a positive payer transaction. */
  credit(type: 'EARN' | 'ADJUST', payer: string, points: number, timestamp: Date, reference: string): void {
    this.seq += 1;
    this.lots.push({ lotId: `lot-${this.seq}`, payer, timestamp, seq: this.seq, remaining: points });
    this.balances.balance += points;
    this.balances.byPayer[payer] = (this.balances.byPayer[payer] ?? 0) + points;
    this.entries.push({ type, payer, points, balanceAfter: this.balance, seq: this.seq, reference });
  }

  redeem(points: number, reference: string): SpendPlan {
    const plan = planRedemption(this.balances, this.openLots(), points);
    this.apply('REDEEM', plan, reference);
    return plan;
  }

  /** A negative payer transaction of `points` (positive here) taken from `payer`. */
  debitPayer(payer: string, points: number, reference: string): SpendPlan {
    const plan = planPayerDebit(this.balances, this.openLots(), payer, points);
    this.apply('ADJUST', plan, reference);
    return plan;
  }

  private apply(type: 'REDEEM' | 'ADJUST', plan: SpendPlan, reference: string): void {
    const byId = new Map(this.lots.map((lot) => [lot.lotId, lot]));
    for (const spend of plan.lots) byId.get(spend.lotId)!.remaining -= spend.points;
    for (const draft of spendEntries(type, this.balance, plan.payers)) {
      this.seq += 1;
      this.entries.push({ ...draft, seq: this.seq, reference });
      this.balances.byPayer[draft.payer] += draft.points;
      this.balances.balance += draft.points;
    }
  }
}
