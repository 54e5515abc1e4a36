import type { Db } from 'mongodb';

export interface GroupLedgerSnapshot {
  balance: number;
  byPayer: Record<string, number>;
  /** Sum of all entries' points. */
  entriesSum: number;
  /** Per payer: sum of entries' points. */
  entriesByPayer: Record<string, number>;
  /** Sum of lot remainders. */
  lotsRemaining: number;
  lotsRemainingByPayer: Record<string, number>;
  negativeLots: number;
  entries: number;
  /** True when the entries' seqs are 1..n and each balanceAfter is the running sum. */
  entriesChainOk: boolean;
}

/**
 * Reads one group's ledger straight from MongoDB (tests only), for the invariants the ledger
 * promises: balance = sum of entries = sum of lot remainders, per payer too; nothing negative;
 * every entry's balanceAfter is the running total.
 */
export async function snapshotGroupLedger(db: Db, groupId: string): Promise<GroupLedgerSnapshot> {
  const account = await db.collection('point_accounts').findOne({ _id: groupId as never });
  const entries = await db.collection('point_entries').find({ groupId }).sort({ seq: 1 }).toArray();
  const lots = await db.collection('point_lots').find({ groupId }).toArray();
  return summarizeLedger(
    account as LedgerAccountRow | null,
    entries as unknown as LedgerRow[],
    lots as unknown as LedgerRow[],
  );
}

export interface LedgerAccountRow {
  balance: number;
  byPayer: Record<string, number>;
}

/** An entry (signed points, balanceAfter) or a lot (points it started with, remaining). */
export interface LedgerRow {
  payer: string;
  points: number;
  seq: number;
  balanceAfter?: number;
  remaining?: number;
}

/** The snapshot of one group's account, entries (in seq order) and lots, wherever they are stored. */
export function summarizeLedger(
  account: LedgerAccountRow | null,
  entries: readonly LedgerRow[],
  lots: readonly LedgerRow[],
): GroupLedgerSnapshot {
  const sumBy = (rows: readonly LedgerRow[], field: 'points' | 'remaining') => {
    const out: Record<string, number> = {};
    for (const row of rows) out[row.payer] = (out[row.payer] ?? 0) + (row[field] ?? 0);
    return out;
  };
  let running = 0;
  const entriesChainOk = entries.every((e, i) => {
    running += e.points;
    return e.balanceAfter === running && e.seq === i + 1;
  });
  return {
    balance: account?.balance ?? 0,
    byPayer: account?.byPayer ?? {},
    entriesSum: entries.reduce((s, e) => s + e.points, 0),
    entriesByPayer: sumBy(entries, 'points'),
    lotsRemaining: lots.reduce((s, l) => s + (l.remaining ?? 0), 0),
    lotsRemainingByPayer: sumBy(lots, 'remaining'),
    negativeLots: lots.filter((l) => (l.remaining ?? 0) < 0).length,
    entries: entries.length,
    entriesChainOk,
  };
}
