import type { Db } from 'mongodb';

/** A group's account as stored (fields added by the points lifecycle may be absent on old ones). */
export interface AccountRow {
  balance: number;
  byPayer: Record<string, number>;
  pending?: number;
  seq?: number;
  nextChangeAt?: Date;
}

/** A lot as stored: what it started with and where its points are now. */
export interface LotRow {
  lotId: string;
  payer: string;
  reference: string;
  points: number;
  remaining: number;
  pending?: boolean;
  availableAt?: Date;
  expiresAt?: Date | null;
  expired?: number;
  refunded?: number;
  qualifying?: number;
}

export interface EntryRow {
  seq: number;
  type: string;
  payer: string;
  /** Signed. */
  points: number;
  balanceAfter: number;
}

/** A request record: redemptions and negative payer transactions say which lots hold their points. */
export interface RequestRow {
  kind: string;
  businessId: string;
  detail?: unknown;
}

export interface LedgerRows {
  account: AccountRow | null;
  lots: LotRow[];
  entries: EntryRow[];
  requests: RequestRow[];
}

export interface GroupLedgerSnapshot {
  balance: number;
  byPayer: Record<string, number>;
  pending: number;
  /** Σ entries' points (= balance + pending). */
  entriesSum: number;
  /** Per payer: Σ entries' points. */
  entriesByPayer: Record<string, number>;
  /** Σ remainders of available (not pending) lots: the balance. */
  lotsRemaining: number;
  lotsRemainingByPayer: Record<string, number>;
  /** Σ remainders of pending lots. */
  lotsPending: number;
  /** Σ lots' points: every point the group was ever given. */
  earned: number;
  /** Points that redemptions (not reversed) and negative payer transactions hold, per the request log. */
  spent: number;
  expired: number;
  refunded: number;
  /** Per lot reference (purchaseId or transactionId): Σ remaining, pending or not. */
  remainingByReference: Record<string, number>;
  /** Lots with a negative counter. */
  negativeLots: number;
  entries: number;
  /**
   * The history adds up: seqs 1..n, no balanceAfter below zero, never more balance than points
   * (the difference is what was pending), and the last balanceAfter no more than the balance
   * (matured points join the balance without an entry).
   */
  entriesChainOk: boolean;
  /** Every broken invariant, said in words; empty when the ledger is sound. */
  violations: string[];
}

export interface InvariantOptions {
  /** The sweep ran at this moment: no lot may still be due then. */
  settledAt?: Date;
}

/** Reads one group's ledger straight from MongoDB (tests only) and checks the invariants. */
export async function snapshotGroupLedger(
  db: Db,
  groupId: string,
  options: InvariantOptions = {},
): Promise<GroupLedgerSnapshot> {
  const [account, entries, lots, requests] = await Promise.all([
    db.collection('point_accounts').findOne({ _id: groupId as never }),
    db.collection('point_entries').find({ groupId }).sort({ seq: 1 }).toArray(),
    db.collection('point_lots').find({ groupId }).toArray(),
    db.collection('ledger_requests').find({ groupId }).toArray(),
  ]);
  const rows: LedgerRows = {
    account: account as unknown as AccountRow | null,
    entries: entries as unknown as EntryRow[],
    lots: lots.map((lot) => ({ ...lot, lotId: lot._id as unknown as string }) as unknown as LotRow),
    requests: requests as unknown as RequestRow[],
  };
  return summarizeLedger(rows, options);
}

const add = (into: Record<string, number>, key: string, n: number) => (into[key] = (into[key] ?? 0) + n);
const sum = (values: Iterable<number>) => [...values].reduce((s, n) => s + n, 0);

/** Points each lot gives to redemptions not reversed and to negative payer transactions. */
function spentByLot(requests: readonly RequestRow[]): Map<string, number> {
  const spent = new Map<string, number>();
  for (const request of requests) {
    const detail = request.detail as {
      allocations?: Array<{ lotId: string; points: number }>;
      reversal?: unknown;
    };
    if (!detail?.allocations) continue;
    if (request.kind === 'redemption' && detail.reversal !== undefined) continue;
    for (const { lotId, points } of detail.allocations) spent.set(lotId, (spent.get(lotId) ?? 0) + points);
  }
  return spent;
}

const SIGNS: Record<string, (points: number) => boolean> = {
  EARN: (p) => p > 0,
  REVERSAL: (p) => p > 0,
  REDEEM: (p) => p < 0,
  EXPIRE: (p) => p < 0,
  REFUND: (p) => p < 0,
  ADJUST: (p) => p !== 0,
};

/**
 * The invariants of one group's ledger (issue 18, Tests), wherever it is stored:
 * - balance = Σ available lot remainders, per payer too; pending = Σ pending lot remainders;
 * - nothing negative: account counters, lot remaining/expired/refunded/qualifying;
 * - every lot: points = remaining + spent + expired + refunded, spent (what the request log's
 *   allocations hold) ≥ 0, so earned = available + pending + spent + expired + refunded;
 * - entries: seqs 1..n (the account's seq), Σ points = balance + pending, per payer too, each
 *   entry's sign fits its type, and the chain of balanceAfter (see entriesChainOk);
 * - the account's nextChangeAt is no later than any lot's next change (else reads would miss it);
 * - with `settledAt`: no lot is still due at that moment.
 */
export function summarizeLedger(rows: LedgerRows, options: InvariantOptions = {}): GroupLedgerSnapshot {
  const violations: string[] = [];
  const fail = (message: string) => violations.push(message);
  const account = rows.account;
  const balance = account?.balance ?? 0;
  const byPayer = account?.byPayer ?? {};
  const pending = account?.pending ?? 0;

  const availableByPayer: Record<string, number> = {};
  const pendingByPayer: Record<string, number> = {};
  const remainingByReference: Record<string, number> = {};
  const spent = spentByLot(rows.requests);
  const lotIds = new Set(rows.lots.map((lot) => lot.lotId));
  let negativeLots = 0;
  let spentTotal = 0;
  for (const lot of rows.lots) {
    const expired = lot.expired ?? 0;
    const refunded = lot.refunded ?? 0;
    const held = spent.get(lot.lotId) ?? 0;
    spentTotal += held;
    add(lot.pending ? pendingByPayer : availableByPayer, lot.payer, lot.remaining);
    add(remainingByReference, lot.reference, lot.remaining);
    const counters = {
      remaining: lot.remaining,
      expired,
      refunded,
      qualifying: lot.qualifying ?? 0,
      spent: held,
    };
    const negative = Object.entries(counters).filter(([, n]) => n < 0);
    if (negative.length) {
      negativeLots += 1;
      fail(
        `lot ${lot.lotId} (${lot.reference}) has negative ${negative.map(([k, n]) => `${k} ${n}`).join(', ')}`,
      );
    }
    if (lot.remaining + held + expired + refunded !== lot.points) {
      fail(
        `lot ${lot.lotId} (${lot.reference}): ${lot.points} points ≠ remaining ${lot.remaining} + spent ${held} + expired ${expired} + refunded ${refunded}`,
      );
    }
    if (options.settledAt) {
      const at = options.settledAt;
      if (lot.pending && lot.availableAt && lot.availableAt <= at)
        fail(`lot ${lot.lotId} is still pending at ${at.toISOString()}`);
      if (lot.remaining > 0 && lot.expiresAt && lot.expiresAt <= at)
        fail(`lot ${lot.lotId} still holds expired points at ${at.toISOString()}`);
    }
  }
  for (const lotId of spent.keys())
    if (!lotIds.has(lotId)) fail(`the request log holds points of a lot ${lotId} that doesn't exist`);

  const lotsRemaining = sum(Object.values(availableByPayer));
  const lotsPending = sum(Object.values(pendingByPayer));
  if (balance < 0 || pending < 0) fail(`the account has balance ${balance}, pending ${pending}`);
  if (balance !== lotsRemaining) fail(`balance ${balance} ≠ Σ available lot remainders ${lotsRemaining}`);
  if (pending !== lotsPending) fail(`pending ${pending} ≠ Σ pending lot remainders ${lotsPending}`);
  const payers = new Set([
    ...Object.keys(byPayer),
    ...Object.keys(availableByPayer),
    ...Object.keys(pendingByPayer),
  ]);
  for (const payer of payers) {
    const own = byPayer[payer] ?? 0;
    if (own < 0) fail(`${payer} has ${own} points`);
    if (own !== (availableByPayer[payer] ?? 0)) {
      fail(`byPayer ${payer} ${own} ≠ Σ ${payer}'s available lot remainders ${availableByPayer[payer] ?? 0}`);
    }
  }

  const earned = sum(rows.lots.map((lot) => lot.points));
  const expired = sum(rows.lots.map((lot) => lot.expired ?? 0));
  const refunded = sum(rows.lots.map((lot) => lot.refunded ?? 0));
  if (earned !== balance + pending + spentTotal + expired + refunded) {
    fail(
      `earned ${earned} ≠ available ${balance} + pending ${pending} + spent ${spentTotal} + expired ${expired} + refunded ${refunded}`,
    );
  }

  const entries = [...rows.entries].sort((a, b) => a.seq - b.seq);
  const entriesByPayer: Record<string, number> = {};
  for (const entry of entries) add(entriesByPayer, entry.payer, entry.points);
  const entriesSum = sum(entries.map((e) => e.points));
  if (entriesSum !== balance + pending)
    fail(`Σ entries ${entriesSum} ≠ balance ${balance} + pending ${pending}`);
  for (const payer of new Set([...payers, ...Object.keys(entriesByPayer)])) {
    const held = (byPayer[payer] ?? 0) + (pendingByPayer[payer] ?? 0);
    if ((entriesByPayer[payer] ?? 0) !== held)
      fail(`Σ ${payer}'s entries ${entriesByPayer[payer] ?? 0} ≠ its available + pending ${held}`);
  }
  if (account?.seq !== undefined && account.seq !== entries.length)
    fail(`the account's seq ${account.seq} ≠ ${entries.length} entries`);

  let chainOk = true;
  let running = 0;
  for (const [i, entry] of entries.entries()) {
    running += entry.points;
    const broken = [
      entry.seq !== i + 1 && `seq ${entry.seq} in place ${i + 1}`,
      entry.balanceAfter < 0 && `balanceAfter ${entry.balanceAfter}`,
      // What the history says was pending right after this entry: never negative.
      entry.balanceAfter > running &&
        `balanceAfter ${entry.balanceAfter} above the ${running} points the entries add up to`,
      !(SIGNS[entry.type]?.(entry.points) ?? false) && `${entry.type} of ${entry.points} points`,
    ].filter(Boolean);
    if (broken.length) {
      chainOk = false;
      fail(`entry ${entry.seq}: ${broken.join('; ')}`);
    }
  }
  const last = entries[entries.length - 1];
  if (last && last.balanceAfter > balance) {
    chainOk = false;
    fail(`the last entry's balanceAfter ${last.balanceAfter} is above the balance ${balance}`);
  }

  if (account?.nextChangeAt) {
    const changes = rows.lots.flatMap((lot) => [
      ...(lot.pending && lot.availableAt ? [lot.availableAt.getTime()] : []),
      ...(lot.remaining > 0 && lot.expiresAt ? [lot.expiresAt.getTime()] : []),
    ]);
    const next = Math.min(...changes);
    if (changes.length && account.nextChangeAt.getTime() > next) {
      fail(
        `nextChangeAt ${account.nextChangeAt.toISOString()} is after a lot's change at ${new Date(next).toISOString()}`,
      );
    }
  }

  return {
    balance,
    byPayer,
    pending,
    entriesSum,
    entriesByPayer,
    lotsRemaining,
    lotsRemainingByPayer: availableByPayer,
    lotsPending,
    earned,
    spent: spentTotal,
    expired,
    refunded,
    remainingByReference,
    negativeLots,
    entries: entries.length,
    entriesChainOk: chainOk,
    violations,
  };
}
