import { randomUUID } from 'node:crypto';
import { inMemoryLedgerProcess } from './in-memory-ledger-process';
import { type LedgerRows, summarizeLedger } from './ledger-invariants';
import { apiClient, person } from './lifecycle-property';
import { VirtualClock } from './virtual-clock';

/** The invariants catch what they claim to: a sound ledger passes, each kind of damage is named. */
describe('the ledger invariants', () => {
  let rows: LedgerRows;
  const clock = new VirtualClock(new Date('2025-01-10T00:00:00Z'));

  beforeAll(async () => {
    const p = inMemoryLedgerProcess(clock);
    const groupId = randomUUID();
    const member = person(groupId, ['member']);
    const admin = person(randomUUID(), ['admin']);
    const till = apiClient(['purchases:write']);
    const who = { userId: member.userId, groupId };
    await p.policy.execute(admin, { pendingDays: 2, expiryDays: 10, expiryWarningDays: 7 });
    const tx = (transactionId: string, points: number, timestamp: string) =>
      p.transactions.execute(admin, groupId, {
        transactionId,
        payer: 'DANNON',
        points,
        timestamp,
        reason: 'test',
      });
    await tx('old', 30, '2025-01-01T00:00:00Z');
    await tx('new', 30, '2025-01-09T00:00:00Z');
    await tx('minus', -20, '2025-01-09T12:00:00Z');
    await p.purchases.execute(till, who, { purchaseId: 'waiting', userId: member.userId, amount: '15.00' });
    await p.redemptions.execute(member, who, { redemptionId: 'r', points: 25 });
    await p.refunds.execute(till, 'waiting', { refundId: 'f', amount: '5.00' });
    rows = p.rows(groupId);
  });

  const damaged = (change: (r: LedgerRows) => void) => {
    const copy = structuredClone(rows);
    change(copy);
    return summarizeLedger(copy).violations;
  };
  const lot = (r: LedgerRows, reference: string) => r.lots.find((l) => l.reference === reference)!;

  it('a sound ledger has none, and its totals add up', () => {
    const s = summarizeLedger(rows);
    expect(s.violations).toEqual([]);
    expect(s).toMatchObject({ earned: 75, balance: 15, pending: 10, spent: 45, refunded: 5, expired: 0 });
    expect(s.remainingByReference).toEqual({ old: 0, new: 15, waiting: 10 });
  });

  it('names a lot whose points are counted twice or lost, and the balance that no longer matches', () => {
    expect(damaged((r) => (lot(r, 'new').remaining += 1))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\(new\): 30 points ≠ remaining 16 \+ spent 15/),
        'balance 15 ≠ Σ available lot remainders 16',
      ]),
    );
    // A redemption that forgets a lot it took from.
    expect(
      damaged((r) => (r.requests.find((q) => q.businessId === 'r')!.detail = { allocations: [] })),
    ).toEqual(
      expect.arrayContaining([expect.stringMatching(/\(old\): 30 points ≠ remaining 0 \+ spent 20/)]),
    );
  });

  it('names negative counters, pending that lots do not hold, and broken entry chains', () => {
    expect(damaged((r) => (r.account!.pending = 9))).toEqual(
      expect.arrayContaining(['pending 9 ≠ Σ pending lot remainders 10']),
    );
    expect(damaged((r) => (lot(r, 'waiting').refunded = -1))).toEqual(
      expect.arrayContaining([expect.stringMatching(/\(waiting\) has negative refunded -1/)]),
    );
    expect(damaged((r) => (r.entries[1].seq = 9))).toEqual(
      expect.arrayContaining([expect.stringMatching(/seq 9 in place/)]),
    );
    expect(damaged((r) => (r.entries[0].balanceAfter = 31))).toEqual(
      expect.arrayContaining([expect.stringMatching(/entry 1: balanceAfter 31 above the 30 points/)]),
    );
    expect(damaged((r) => (r.entries[2].points = 20))).toEqual(
      expect.arrayContaining([expect.stringMatching(/ADJUST|Σ entries/)]),
    );
  });

  it('names an account that would not settle in time, and a lot still due after the sweep', () => {
    expect(damaged((r) => (r.account!.nextChangeAt = new Date('2025-02-01T00:00:00Z')))).toEqual(
      expect.arrayContaining([expect.stringMatching(/nextChangeAt .* is after a lot's change/)]),
    );
    expect(summarizeLedger(rows, { settledAt: new Date('2025-01-12T00:00:00Z') }).violations).toEqual([
      expect.stringMatching(/is still pending at 2025-01-12/),
    ]);
  });
});
