/**
 * The plain model of the points lifecycle the property tests compare the ledger with. Every point
 * is a unit that remembers its lot (the purchase or payer transaction that funded it), its payer,
 * its transaction time, when it becomes available and when it expires, and who holds it once
 * spent. Time is the model's own virtual "now"; a unit's state follows from it. Obviously right,
 * hopelessly slow, and sharing no code with the real rules.
 */

const DAY_MS = 86_400_000;

interface Unit {
  /** The purchaseId or transactionId of its lot. */
  lot: string;
  payer: string;
  time: number;
  /** Arrival order of its lot: breaks ties between equal times. */
  arrival: number;
  availableAt: number;
  expiresAt: number | null;
  /** Who took it: a redemptionId, DEBIT (a negative payer transaction), REFUND; or nobody. */
  holder: string | null;
}

const DEBIT = '\u0000debit';
const REFUND = '\u0000refund';

export type UnitState = 'pending' | 'available' | 'expired' | 'spent' | 'refunded';
export type Refusal = { refused: string };

interface Purchase {
  lot: string;
  amountCents: number;
  refundedCents: number;
  points: number;
  refundedPoints: number;
}

/** Per payer, in the order each payer's first unit was taken. */
function perPayer(units: readonly Unit[]): Array<{ payer: string; points: number }> {
  const out: Array<{ payer: string; points: number }> = [];
  for (const u of units) {
    const row = out.find((r) => r.payer === u.payer);
    if (row) row.points += 1;
    else out.push({ payer: u.payer, points: 1 });
  }
  return out;
}

const olderFirst = (a: Unit, b: Unit) => a.time - b.time || a.arrival - b.arrival;

export class NaivePointsLifecycle {
  private units: Unit[] = [];
  private arrivals = 0;
  private pendingDays = 0;
  private expiryDays: number | null = null;
  private readonly purchases = new Map<string, Purchase>();
  private readonly redemptions = new Map<
    string,
    { reversal: { pointsRestored: number; pointsExpired: number; balance: number } | null }
  >();

  constructor(private now: number) {}

  setPolicy(pendingDays: number, expiryDays: number | null): void {
    this.pendingDays = pendingDays;
    this.expiryDays = expiryDays;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  state(u: Unit): UnitState {
    if (u.holder === REFUND) return 'refunded';
    if (u.holder !== null) return 'spent';
    if (u.expiresAt !== null && u.expiresAt <= this.now) return 'expired';
    return u.availableAt > this.now ? 'pending' : 'available';
  }

  private inState(state: UnitState, filter: (u: Unit) => boolean = () => true): Unit[] {
    return this.units.filter((u) => filter(u) && this.state(u) === state).sort(olderFirst);
  }

  get balance(): number {
    return this.inState('available').length;
  }

  get pending(): number {
    return this.inState('pending').length;
  }

  /** Available points per payer, payers with none left out. */
  byPayer(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const u of this.inState('available')) out[u.payer] = (out[u.payer] ?? 0) + 1;
    return out;
  }

  /** Points each lot still holds (pending or available), lots with none left out. */
  remainingByLot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const u of this.units) {
      const state = this.state(u);
      if (state === 'available' || state === 'pending') out[u.lot] = (out[u.lot] ?? 0) + 1;
    }
    return out;
  }

  totals(): Record<UnitState | 'earned', number> {
    const out = { earned: this.units.length, pending: 0, available: 0, expired: 0, spent: 0, refunded: 0 };
    for (const u of this.units) out[this.state(u)] += 1;
    return out;
  }

  /** Points expiring within `days` from now, summed per expiry moment, soonest first. */
  expiringWithin(days: number): Array<{ points: number; expiresAt: number }> {
    const until = this.now + days * DAY_MS;
    const byTime = new Map<number, number>();
    for (const u of this.units) {
      const state = this.state(u);
      if ((state === 'available' || state === 'pending') && u.expiresAt !== null && u.expiresAt <= until) {
        byTime.set(u.expiresAt, (byTime.get(u.expiresAt) ?? 0) + 1);
      }
    }
    return [...byTime.entries()]
      .sort(([a], [b]) => a - b)
      .map(([expiresAt, points]) => ({ points, expiresAt }));
  }

  /**
   * A purchase of `amountCents` at earn rate 1 (whole currency units earn points), made at `at`
   * (now when absent): pending for the policy's pendingDays from then, expiring expiryDays after.
   */
  earn(purchaseId: string, payer: string, amountCents: number, at = this.now) {
    const points = Math.floor(amountCents / 100);
    const availableAt = at + this.pendingDays * DAY_MS;
    const expiresAt = this.expiryDays === null ? null : at + this.expiryDays * DAY_MS;
    this.purchases.set(purchaseId, {
      lot: purchaseId,
      amountCents,
      refundedCents: 0,
      points,
      refundedPoints: 0,
    });
    if (points > 0) this.addLot(purchaseId, payer, points, at, availableAt, expiresAt);
    return {
      pointsEarned: points,
      status: points > 0 && availableAt > this.now ? 'PENDING' : 'AVAILABLE',
      availableAt,
      expiresAt,
      balance: this.balance,
    };
  }

  /** A positive payer transaction dated `at`: available at once, expiring expiryDays after `at`. */
  credit(transactionId: string, payer: string, points: number, at: number) {
    const expiresAt = this.expiryDays === null ? null : at + this.expiryDays * DAY_MS;
    this.addLot(transactionId, payer, points, at, at, expiresAt);
    return { balance: this.balance };
  }

  /** A negative payer transaction: that payer's oldest available points, or refused. */
  debit(payer: string, points: number): { balance: number } | Refusal {
    const available = this.inState('available', (u) => u.payer === payer);
    if (available.length < points) return { refused: 'INSUFFICIENT_PAYER_POINTS' };
    for (const u of available.slice(0, points)) u.holder = DEBIT;
    return { balance: this.balance };
  }

  /** A redemption: the oldest available points of any payer, or refused. */
  redeem(redemptionId: string, points: number) {
    const available = this.inState('available');
    if (available.length < points) return { refused: 'INSUFFICIENT_POINTS' };
    const taken = available.slice(0, points);
    for (const u of taken) u.holder = redemptionId;
    this.redemptions.set(redemptionId, { reversal: null });
    return {
      balance: this.balance,
      spent: perPayer(taken).map(({ payer, points: p }) => ({ payer, points: -p })),
    };
  }

  /**
   * A refund of `amountCents` of a purchase: floor(amount) points (rate 1), no more than the
   * purchase has left unrefunded; taken from the purchase's own points first (pending or not),
   * then from the oldest available points; the rest is unrecovered.
   */
  refund(purchaseId: string, amountCents: number) {
    const purchase = this.purchases.get(purchaseId);
    if (!purchase) return { refused: 'NOT_FOUND' };
    if (purchase.refundedCents + amountCents > purchase.amountCents)
      return { refused: 'REFUND_EXCEEDS_PURCHASE' };
    const points = Math.min(Math.floor(amountCents / 100), purchase.points - purchase.refundedPoints);
    purchase.refundedCents += amountCents;
    purchase.refundedPoints += points;
    const own = this.units.filter(
      (u) => u.lot === purchase.lot && ['pending', 'available'].includes(this.state(u)),
    );
    const fromOwn = own.slice(0, points);
    const fromOthers = this.inState('available', (u) => u.lot !== purchase.lot).slice(
      0,
      points - fromOwn.length,
    );
    for (const u of [...fromOwn, ...fromOthers]) u.holder = REFUND;
    const pointsReversed = fromOwn.length + fromOthers.length;
    return { pointsReversed, unrecovered: points - pointsReversed, balance: this.balance };
  }

  /**
   * A redemption's points go back to their lots, keeping those lots' expiry (expired ones stay
   * expired). Once: a second reversal answers as the first.
   */
  reverse(redemptionId: string) {
    const redemption = this.redemptions.get(redemptionId);
    if (!redemption) return { refused: 'NOT_FOUND' };
    if (redemption.reversal) return redemption.reversal;
    const held = this.units.filter((u) => u.holder === redemptionId);
    for (const u of held) u.holder = null;
    const pointsExpired = held.filter((u) => this.state(u) === 'expired').length;
    redemption.reversal = { pointsRestored: held.length, pointsExpired, balance: this.balance };
    return redemption.reversal;
  }

  private addLot(
    lot: string,
    payer: string,
    points: number,
    time: number,
    availableAt: number,
    expiresAt: number | null,
  ) {
    this.arrivals += 1;
    const added: Unit[] = [];
    for (let i = 0; i < points; i++) {
      added.push({ lot, payer, time, arrival: this.arrivals, availableAt, expiresAt, holder: null });
    }
    this.units.push(...added);
    this.lateLot(added);
  }

  /**
   * Seed 004, as the ledger applies it when a lot arrives available: negative payer transactions of
   * the same payer holding points of younger lots move onto this older one, the youngest given back
   * first, as many as it has available. A point given back to a lot that has expired stays expired.
   */
  private lateLot(added: Unit[]): void {
    const free = added.filter((u) => this.state(u) === 'available');
    if (!free.length) return;
    const [late] = free;
    const younger = this.units
      .filter((u) => u.holder === DEBIT && u.payer === late.payer && olderFirst(late, u) < 0)
      .sort((a, b) => olderFirst(b, a));
    for (const [i, u] of younger.slice(0, free.length).entries()) {
      u.holder = null;
      free[i].holder = DEBIT;
    }
  }
}
