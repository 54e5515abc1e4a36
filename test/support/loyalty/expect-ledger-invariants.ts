import type { Db } from 'mongodb';
import { GroupLedgerSnapshot, snapshotGroupLedger } from './ledger-invariants';

/**
 * Asserts the ledger's invariants for one group, as its collections hold them now: balance = Σ
 * entries = Σ lot remainders, per payer too, no negative lot, an unbroken entry chain. Returns the
 * snapshot for further checks.
 */
export async function expectLedgerInvariants(db: Db, groupId: string): Promise<GroupLedgerSnapshot> {
  const s = await snapshotGroupLedger(db, groupId);
  expect(s.entriesSum).toBe(s.balance);
  expect(s.lotsRemaining).toBe(s.balance);
  for (const [payer, left] of Object.entries(s.byPayer)) {
    expect(left).toBeGreaterThanOrEqual(0);
    expect(s.entriesByPayer[payer] ?? 0).toBe(left);
    expect(s.lotsRemainingByPayer[payer] ?? 0).toBe(left);
  }
  expect(s.negativeLots).toBe(0);
  expect(s.entriesChainOk).toBe(true);
  return s;
}
