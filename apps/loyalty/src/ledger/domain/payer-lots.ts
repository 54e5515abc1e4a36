/**
 * A payer lot: points one payer funded at one moment (a purchase or a payer transaction), with
 * what is left of them. Lots are spent in `timestamp` order (the transaction's time, not when it
 * reached us); `seq` (arrival order within the group) breaks ties so the order is total and stable.
 */
export interface LotKey {
  timestamp: Date;
  seq: number;
}

export interface Lot extends LotKey {
  lotId: string;
  payer: string;
  remaining: number;
}

export function oldestFirst(a: LotKey, b: LotKey): number {
  return a.timestamp.getTime() - b.timestamp.getTime() || a.seq - b.seq;
}

/** Points taken from one lot; its key is kept so a spend can be traced and given back. */
export interface LotSpend extends LotKey {
  lotId: string;
  payer: string;
  points: number;
}

export interface PayerSpend {
  payer: string;
  /** Positive: how many of this payer's points were taken. */
  points: number;
}

export interface SpendPlan {
  lots: LotSpend[];
  /** Per payer, in the order their points were first taken. */
  payers: PayerSpend[];
}

/**
 * Takes `points` from `lots` (already oldest first, only lots with points left), oldest first.
 * Throws when the lots hold fewer; the caller checks the balance first, so that is a broken
 * invariant rather than a user error.
 */
export function spendOldestFirst(lots: Iterable<Lot>, points: number): SpendPlan {
  if (!Number.isSafeInteger(points) || points <= 0) throw new Error(`cannot spend ${points} points`);
  const plan = takeOldestFirst(lots, points);
  const taken = plan.lots.reduce((sum, lot) => sum + lot.points, 0);
  if (taken < points) throw new Error(`the lots hold ${taken} points, ${points} were to be spent`);
  return plan;
}

/** Up to `points` from `lots` (oldest first), as many as they hold. */
export function takeOldestFirst(lots: Iterable<Lot>, points: number): SpendPlan {
  const plan: SpendPlan = { lots: [], payers: [] };
  const byPayer = new Map<string, PayerSpend>();
  let left = points;
  for (const lot of lots) {
    if (left === 0) break;
    if (lot.remaining <= 0) continue;
    const take = Math.min(lot.remaining, left);
    left -= take;
    plan.lots.push({
      lotId: lot.lotId,
      payer: lot.payer,
      points: take,
      timestamp: lot.timestamp,
      seq: lot.seq,
    });
    let payer = byPayer.get(lot.payer);
    if (!payer) {
      payer = { payer: lot.payer, points: 0 };
      byPayer.set(lot.payer, payer);
      plan.payers.push(payer);
    }
    payer.points += take;
  }
  return plan;
}
