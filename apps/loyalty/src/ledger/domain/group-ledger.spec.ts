import fc from 'fast-check';
import { DomainError } from '@lib/errors';
import { GroupLedger } from './group-ledger';
import { NaiveLedger } from '../../testing/naive-ledger';

const PAYERS = ['DANNON', 'UNILEVER', 'MILLER COORS', 'STORE'];
const HOUR = 3_600_000;
const T0 = Date.UTC(2022, 9, 31);

type Op =
  | { kind: 'earn' | 'credit'; payer: string; points: number; hour: number }
  | { kind: 'redeem'; points: number }
  | { kind: 'debit'; payer: string; points: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('earn' as const, 'credit' as const),
    payer: fc.constantFrom(...PAYERS),
    points: fc.integer({ min: 1, max: 60 }),
    hour: fc.integer({ min: 0, max: 72 }), // few distinct times: plenty of equal timestamps
  }),
  fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 150 }) }),
  fc.record({
    kind: fc.constant('debit' as const),
    payer: fc.constantFrom(...PAYERS),
    points: fc.integer({ min: 1, max: 80 }),
  }),
);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

describe('GroupLedger against a naive point-by-point model (fast-check)', () => {
  it('spends exactly what the model spends, refuses exactly when it refuses, and keeps the invariants', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ledger = new GroupLedger();
        const model = new NaiveLedger();
        ops.forEach((o, i) => {
          const ref = `op-${i}`;
          if (o.kind === 'earn' || o.kind === 'credit') {
            ledger.credit(
              o.kind === 'earn' ? 'EARN' : 'ADJUST',
              o.payer,
              o.points,
              new Date(T0 + o.hour * HOUR),
              ref,
            );
            model.credit(o.payer, o.points, T0 + o.hour * HOUR);
          } else if (o.kind === 'redeem') {
            const expected = model.spend(o.points);
            if (expected === 'refused') {
              expect(codeOf(() => ledger.redeem(o.points, ref))).toBe('INSUFFICIENT_POINTS');
            } else {
              expect(ledger.redeem(o.points, ref).payers).toEqual(expected);
            }
          } else {
            const expected = model.spend(o.points, o.payer);
            if (expected === 'refused') {
              expect(codeOf(() => ledger.debitPayer(o.payer, o.points, ref))).toBe(
                'INSUFFICIENT_PAYER_POINTS',
              );
            } else {
              expect(ledger.debitPayer(o.payer, o.points, ref).payers).toEqual(expected);
            }
          }
          // Invariants after every step: balance = sum of entries = sum of lots, per payer too.
          expect(ledger.balance).toBe(model.balance);
          const byPayer = ledger.byPayer();
          for (const payer of PAYERS) expect(byPayer[payer] ?? 0).toBe(model.payerBalance(payer));
          expect(ledger.entries.reduce((s, e) => s + e.points, 0)).toBe(ledger.balance);
          const lots = ledger.openLots();
          expect(lots.reduce((s, l) => s + l.remaining, 0)).toBe(ledger.balance);
          expect(lots.every((l) => l.remaining > 0)).toBe(true);
          expect(Object.values(byPayer).every((p) => p >= 0)).toBe(true);
          const last = ledger.entries[ledger.entries.length - 1];
          if (last) expect(last.balanceAfter).toBe(ledger.balance);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('the published example: 5000 spends DANNON 100, UNILEVER 200, MILLER COORS 4700', () => {
    const ledger = new GroupLedger();
    const at = (iso: string) => new Date(iso);
    ledger.credit('ADJUST', 'DANNON', 300, at('2022-10-31T10:00:00Z'), 'a');
    ledger.credit('ADJUST', 'UNILEVER', 200, at('2022-10-31T11:00:00Z'), 'b');
    expect(ledger.debitPayer('DANNON', 200, 'c').payers).toEqual([{ payer: 'DANNON', points: 200 }]);
    ledger.credit('ADJUST', 'MILLER COORS', 10000, at('2022-11-01T14:00:00Z'), 'd');
    ledger.credit('ADJUST', 'DANNON', 1000, at('2022-11-02T14:00:00Z'), 'e');
    expect(ledger.redeem(5000, 'f').payers).toEqual([
      { payer: 'DANNON', points: 100 },
      { payer: 'UNILEVER', points: 200 },
      { payer: 'MILLER COORS', points: 4700 },
    ]);
    expect(ledger.byPayer()).toEqual({ DANNON: 1000, UNILEVER: 0, 'MILLER COORS': 5300 });
  });

  it('orders equal timestamps by arrival, and a later-arriving older lot first', () => {
    const ledger = new GroupLedger();
    const t = new Date('2026-01-02T00:00:00Z');
    ledger.credit('EARN', 'B', 5, t, 'x');
    ledger.credit('EARN', 'A', 5, t, 'y');
    ledger.credit('EARN', 'C', 5, new Date('2026-01-01T00:00:00Z'), 'z');
    expect(ledger.redeem(12, 'r').payers).toEqual([
      { payer: 'C', points: 5 },
      { payer: 'B', points: 5 },
      { payer: 'A', points: 2 },
    ]);
  });
});
