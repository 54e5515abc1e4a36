import type { Db } from 'mongodb';
import {
  GroupLedgerSnapshot,
  InvariantOptions,
  LedgerRows,
  snapshotGroupLedger,
  summarizeLedger,
} from './ledger-invariants';

/**
 * Asserts the ledger's invariants for one group, as its collections hold them now (see
 * summarizeLedger: balance and pending = Σ lot remainders, per payer too; nothing negative; every
 * point of every lot accounted for once; an unbroken entry chain). Returns the snapshot for
 * further checks.
 */
export async function expectLedgerInvariants(
  db: Db,
  groupId: string,
  options?: InvariantOptions,
): Promise<GroupLedgerSnapshot> {
  return expectSound(await snapshotGroupLedger(db, groupId, options));
}

/** The same, for rows from anywhere else (the in-memory store). */
export function expectLedgerRowInvariants(rows: LedgerRows, options?: InvariantOptions): GroupLedgerSnapshot {
  return expectSound(summarizeLedger(rows, options));
}

function expectSound(snapshot: GroupLedgerSnapshot): GroupLedgerSnapshot {
  expect(snapshot.violations).toEqual([]);
  return snapshot;
}
