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
  const sumBy = (rows: Array<Record<string, unknown>>, field: string) => {
    const out: Record<string, number> = {};
    for (const row of rows)
      out[row.payer as string] = (out[row.payer as string] ?? 0) + (row[field] as number);
    return out;
  };
  let running = 0;
  const entriesChainOk = entries.every((e, i) => {
    running += e.points as number;
    return e.balanceAfter === running && e.seq === i + 1;
  });
  return {
    balance: (account?.balance as number) ?? 0,
    byPayer: (account?.byPayer as Record<string, number>) ?? {},
    entriesSum: entries.reduce((s, e) => s + (e.points as number), 0),
    entriesByPayer: sumBy(entries, 'points'),
    lotsRemaining: lots.reduce((s, l) => s + (l.remaining as number), 0),
    lotsRemainingByPayer: sumBy(lots, 'remaining'),
    negativeLots: lots.filter((l) => (l.remaining as number) < 0).length,
    entries: entries.length,
    entriesChainOk,
  };
}
