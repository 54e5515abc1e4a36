import { insufficientPayerPoints, insufficientPoints } from './ledger.errors';
import { Lot, PayerSpend, SpendPlan, spendOldestFirst } from './payer-lots';

/** How a ledger entry came about (API.md: EARN | REDEEM | ADJUST | EXPIRE | REFUND | REVERSAL). */
export type EntryType = 'EARN' | 'REDEEM' | 'ADJUST' | 'EXPIRE' | 'REFUND' | 'REVERSAL';
/** Entries that add points, funded by one payer as a new lot. */
export type CreditType = Extract<EntryType, 'EARN' | 'ADJUST'>;
/** Entries that take points from lots, oldest first. */
export type DebitType = Extract<EntryType, 'REDEEM' | 'ADJUST'>;

/** A group's balance and what is left per payer. Invariant: balance = the sum of byPayer. */
export interface Balances {
  balance: number;
  byPayer: Record<string, number>;
}

/** A redemption: oldest points first across every payer; 422 INSUFFICIENT_POINTS when too few. */
export function planRedemption(balances: Balances, lots: Iterable<Lot>, points: number): SpendPlan {
  if (balances.balance < points) throw insufficientPoints(balances.balance, points);
  return spendOldestFirst(lots, points);
}

/**
 * A negative payer transaction: that payer's oldest points first; 422 INSUFFICIENT_PAYER_POINTS
 * when the payer would go below 0 (other payers' points are never touched).
 */
export function planPayerDebit(
  balances: Balances,
  payerLots: Iterable<Lot>,
  payer: string,
  points: number,
): SpendPlan {
  const available = balances.byPayer[payer] ?? 0;
  if (available < points) throw insufficientPayerPoints(payer, available, points);
  return spendOldestFirst(
    [...payerLots].filter((lot) => lot.payer === payer),
    points,
  );
}

/** What a spend may take: the group's balance, or one payer's points when it names one. */
export function spendable(balances: Balances, payer?: string): number {
  return payer === undefined ? balances.balance : (balances.byPayer[payer] ?? 0);
}

/** A redemption (every payer's points) or, naming a payer, a negative payer transaction. */
export function planSpend(
  balances: Balances,
  lots: Iterable<Lot>,
  points: number,
  payer?: string,
): SpendPlan {
  return payer === undefined
    ? planRedemption(balances, lots, points)
    : planPayerDebit(balances, lots, payer, points);
}

export interface EntryDraft {
  type: EntryType;
  payer: string;
  /** Signed. */
  points: number;
  balanceAfter: number;
  /** An ADJUST's or a REVERSAL's reason. */
  reason?: string | null;
}

/**
 * The ledger entries of a spend: one per payer portion, in spending order, each with the balance
 * right after it, so the last one's balanceAfter is the balance after the whole spend.
 */
export function spendEntries(
  type: EntryType,
  balanceBefore: number,
  payers: PayerSpend[],
  sign: 1 | -1 = -1,
): EntryDraft[] {
  let balance = balanceBefore;
  return payers.map(({ payer, points }) => {
    balance += sign * points;
    return { type, payer, points: sign * points, balanceAfter: balance };
  });
}

/** Per payer, in first-seen order: what a list of lot takes adds up to. */
export function byPayerOf(takes: Iterable<{ payer: string; points: number }>): PayerSpend[] {
  const out: PayerSpend[] = [];
  const index = new Map<string, PayerSpend>();
  for (const { payer, points } of takes) {
    if (points <= 0) continue;
    let row = index.get(payer);
    if (!row) {
      row = { payer, points: 0 };
      index.set(payer, row);
      out.push(row);
    }
    row.points += points;
  }
  return out;
}
