/**
 * The plain model the property tests compare the ledger with: every point is a unit carrying its
 * payer and its transaction's time; spending takes the oldest units, one by one. Obviously right,
 * hopelessly slow, and sharing no code with the real rules.
 */
interface Unit {
  payer: string;
  time: number;
  arrival: number;
  /** Who took it: a negative payer transaction, a redemption, or nobody yet. */
  holder: 'debit' | 'redemption' | null;
}

const olderFirst = (a: Unit, b: Unit) => a.time - b.time || a.arrival - b.arrival;

export interface NaiveLedgerOptions {
  /**
   * Seed 004 as the whole ledger applies it: when a credit arrives dated before points a negative
   * payer transaction of the same payer already took, the debit moves onto the older credit
   * (youngest points given back first), as if everything had arrived in time order. Redemptions
   * keep what they spent. Off, units are spent in the order they arrived (the writer alone).
   */
  lateCreditsTakeOverDebits?: boolean;
}

export class NaiveLedger {
  private units: Unit[] = [];
  private arrivals = 0;

  constructor(private readonly options: NaiveLedgerOptions = {}) {}

  credit(payer: string, points: number, time: number): void {
    this.arrivals += 1;
    const added: Unit[] = [];
    for (let i = 0; i < points; i++) added.push({ payer, time, arrival: this.arrivals, holder: null });
    this.units.push(...added);
    if (this.options.lateCreditsTakeOverDebits) this.takeOverDebits(added);
  }

  private get free(): Unit[] {
    return this.units.filter((u) => u.holder === null);
  }

  get balance(): number {
    return this.free.length;
  }

  payerBalance(payer: string): number {
    return this.free.filter((u) => u.payer === payer).length;
  }

  /** Spends `points` oldest units (of `payer` only, when given); per payer in spending order. */
  spend(points: number, payer?: string): Array<{ payer: string; points: number }> | 'refused' {
    const eligible = this.free.filter((u) => payer === undefined || u.payer === payer).sort(olderFirst);
    if (eligible.length < points) return 'refused';
    const taken = eligible.slice(0, points);
    for (const u of taken) u.holder = payer === undefined ? 'redemption' : 'debit';
    const spent: Array<{ payer: string; points: number }> = [];
    for (const u of taken) {
      const existing = spent.find((s) => s.payer === u.payer);
      if (existing) existing.points += 1;
      else spent.push({ payer: u.payer, points: 1 });
    }
    return spent;
  }

  private takeOverDebits(added: Unit[]): void {
    const [late] = added;
    if (!late) return;
    const younger = this.units
      .filter((u) => u.holder === 'debit' && u.payer === late.payer && olderFirst(late, u) < 0)
      .sort((a, b) => olderFirst(b, a));
    for (const [i, u] of younger.slice(0, added.length).entries()) {
      u.holder = null;
      added[i].holder = 'debit';
    }
  }
}
