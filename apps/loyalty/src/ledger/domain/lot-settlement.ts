/**
 * Time moves points between states without anyone writing: a pending lot becomes available at
 * `availableAt`, an available lot's remainder expires at `expiresAt`. Reads apply this on the fly;
 * writes (and the sweep) persist it. Both use `settle`, so they can never disagree.
 */
export interface TimedLot {
  lotId: string;
  payer: string;
  reference: string;
  remaining: number;
  pending: boolean;
  availableAt: Date;
  expiresAt: Date | null;
}

export interface LotTransition {
  lotId: string;
  /** What the lot held and whether it was pending: the write applies only to that state. */
  expect: { remaining: number; pending: boolean };
  matured: boolean;
  /** Points of the lot's remainder that expired (0 when it only matured). */
  expired: number;
}

/** Signed changes to an account's counters. */
export interface BalanceDelta {
  balance: number;
  pending: number;
  byPayer: Record<string, number>;
}

/** Points of one lot that expired: one EXPIRE entry and one `points.expired` event. */
export interface ExpiredLot {
  lotId: string;
  payer: string;
  reference: string;
  points: number;
  expiresAt: Date;
}

export interface Settlement {
  transitions: LotTransition[];
  delta: BalanceDelta;
  /** The lots whose points expired, in expiry order. */
  expired: ExpiredLot[];
}

export const emptyDelta = (): BalanceDelta => ({ balance: 0, pending: 0, byPayer: {} });

export function addToDelta(delta: BalanceDelta, payer: string, balance: number, pending = 0): void {
  delta.balance += balance;
  delta.pending += pending;
  if (balance !== 0) delta.byPayer[payer] = (delta.byPayer[payer] ?? 0) + balance;
}

export const isDue = (lot: TimedLot, now: Date) =>
  (lot.pending && lot.availableAt <= now) ||
  (lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= now);

/** What `now` does to `lots` (any lots; those not due are left alone). */
export function settle(lots: Iterable<TimedLot>, now: Date): Settlement {
  const settlement: Settlement = { transitions: [], delta: emptyDelta(), expired: [] };
  const due = [...lots].filter((lot) => isDue(lot, now));
  due.sort(
    (a, b) =>
      +(a.expiresAt ?? a.availableAt) - +(b.expiresAt ?? b.availableAt) || (a.lotId < b.lotId ? -1 : 1),
  );
  for (const lot of due) {
    const matured = lot.pending && lot.availableAt <= now;
    // Matured first: a back-dated lot may be past both dates, and expires from the balance.
    if (matured) addToDelta(settlement.delta, lot.payer, lot.remaining, -lot.remaining);
    const expires = lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= now;
    const expired = expires ? lot.remaining : 0;
    if (expired > 0) {
      addToDelta(settlement.delta, lot.payer, -expired);
      settlement.expired.push({
        lotId: lot.lotId,
        payer: lot.payer,
        reference: lot.reference,
        points: expired,
        expiresAt: lot.expiresAt!,
      });
    }
    settlement.transitions.push({
      lotId: lot.lotId,
      expect: { remaining: lot.remaining, pending: lot.pending },
      matured,
      expired,
    });
  }
  return settlement;
}
