/**
 * The plain model the property tests compare the ledger with: every point is a unit carrying its
 * payer and its transaction's time; spending takes the oldest units, one by one. Obviously right,
 * hopelessly slow, and sharing no code with the real rules.
 */
export class NaiveLedger {
  private units: Array<{ payer: string; time: number; arrival: number }> = [];
  private arrivals = 0;

  credit(payer: string, points: number, time: number): void {
    this.arrivals += 1;
    for (let i = 0; i < points; i++) this.units.push({ payer, time, arrival: this.arrivals });
  }

  get balance(): number {
    return this.units.length;
  }

  byPayer(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const u of this.units) out[u.payer] = (out[u.payer] ?? 0) + 1;
    return out;
  }

  payerBalance(payer: string): number {
    return this.units.filter((u) => u.payer === payer).length;
  }

  /** Spends `points` oldest units (of `payer` only, when given); per payer in spending order. */
  spend(points: number, payer?: string): Array<{ payer: string; points: number }> | 'refused' {
    const eligible = this.units
      .map((u, index) => ({ ...u, index }))
      .filter((u) => payer === undefined || u.payer === payer)
      .sort((a, b) => a.time - b.time || a.arrival - b.arrival);
    if (eligible.length < points) return 'refused';
    const taken = eligible.slice(0, points);
    const gone = new Set(taken.map((u) => u.index));
    this.units = this.units.filter((_, i) => !gone.has(i));
    const spent: Array<{ payer: string; points: number }> = [];
    for (const u of taken) {
      const existing = spent.find((s) => s.payer === u.payer);
      if (existing) existing.points += 1;
      else spent.push({ payer: u.payer, points: 1 });
    }
    return spent;
  }
}
