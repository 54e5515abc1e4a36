import fc from 'fast-check';
import { expectLedgerRowInvariants } from '../../../../../test/support/loyalty/expect-ledger-invariants';
import { InMemoryOutbox } from '../../../../../test/support/loyalty/in-memory-outbox';
import { InMemoryPointsLedger } from '../../../../../test/support/loyalty/in-memory-points-ledger';
import { InMemoryRequestLog } from '../../../../../test/support/loyalty/in-memory-request-log';
import type { RequestRow } from '../../../../../test/support/loyalty/ledger-invariants';
import { ledgerOp, refusalCode } from '../../../../../test/support/loyalty/ledger-ops';
import { NaiveLedger } from '../../../../../test/support/loyalty/naive-ledger';
import { LateLots } from './late-lots';
import { LedgerWriter } from './ledger-writer';

const PAYERS = ['DANNON', 'UNILEVER', 'MILLER COORS', 'STORE'];
const HOUR = 3_600_000;
const T0 = Date.UTC(2022, 9, 31);
const GROUP = 'group';

const op = ledgerOp(PAYERS, { credit: 60, redeem: 150, debit: 80, hours: 72 });

/**
 * The writer on an in-memory store, with the few calls the examples need: points available at
 * once and never expiring (the default policy). No request records reach LateLots, so a late lot
 * never takes a debit over here (arrival order, as NaiveLedger spends); the specs keep what each
 * spend took themselves, for the invariants.
 */
function ledger() {
  const store = new InMemoryPointsLedger();
  const outbox = new InMemoryOutbox();
  const writer = new LedgerWriter(store, outbox, new LateLots(store, new InMemoryRequestLog(), outbox));
  const spends: RequestRow[] = [];
  const write = (reference: string) => ({ groupId: GROUP, reference, actorId: 'actor', at: new Date() });
  const spend = async (reference: string, points: number, payer?: string) => {
    const spent = await writer.spend({
      ...write(reference),
      type: payer ? 'ADJUST' : 'REDEEM',
      points,
      payer,
    });
    spends.push({
      kind: payer ? 'transaction' : 'redemption',
      businessId: reference,
      detail: { allocations: spent.lots },
    });
    return spent.payers;
  };
  return {
    store,
    rows: () => ({ ...store.rows(GROUP), requests: spends }),
    credit: (type: 'EARN' | 'ADJUST', payer: string, points: number, fundedAt: Date, ref: string) =>
      writer.earn({
        ...write(ref),
        type,
        payer,
        points,
        fundedAt,
        dates: { availableAt: fundedAt, expiresAt: null },
      }),
    redeem: (points: number, ref: string) => spend(ref, points),
    debitPayer: (payer: string, points: number, ref: string) => spend(ref, points, payer),
  };
}

describe('LedgerWriter on an in-memory store against a naive point-by-point model (fast-check)', () => {
  it('spends exactly what the model spends, refuses exactly when it refuses, and keeps the invariants', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const l = ledger();
        const model = new NaiveLedger();
        for (const [i, o] of ops.entries()) {
          const ref = `op-${i}`;
          if (o.kind === 'earn' || o.kind === 'credit') {
            const at = new Date(T0 + o.hour * HOUR);
            await l.credit(o.kind === 'earn' ? 'EARN' : 'ADJUST', o.payer, o.points, at, ref);
            model.credit(o.payer, o.points, at.getTime());
          } else if (o.kind === 'redeem') {
            const expected = model.spend(o.points);
            if (expected === 'refused') {
              expect(await refusalCode(l.redeem(o.points, ref))).toBe('INSUFFICIENT_POINTS');
            } else {
              expect(await l.redeem(o.points, ref)).toEqual(expected);
            }
          } else {
            const expected = model.spend(o.points, o.payer);
            if (expected === 'refused') {
              expect(await refusalCode(l.debitPayer(o.payer, o.points, ref))).toBe(
                'INSUFFICIENT_PAYER_POINTS',
              );
            } else {
              expect(await l.debitPayer(o.payer, o.points, ref)).toEqual(expected);
            }
          }
          // Invariants after every step, and the same balances as the model, per payer too.
          const s = expectLedgerRowInvariants(l.rows());
          expect(s.balance).toBe(model.balance);
          expect(s.pending).toBe(0);
          for (const payer of PAYERS) {
            expect(s.byPayer[payer] ?? 0).toBe(model.payerBalance(payer));
            expect(s.entriesByPayer[payer] ?? 0).toBe(model.payerBalance(payer));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the published example in timestamp order: 5000 spends DANNON 100, UNILEVER 200, MILLER COORS 4700', async () => {
    const l = ledger();
    const at = (iso: string) => new Date(iso);
    await l.credit('ADJUST', 'DANNON', 300, at('2022-10-31T10:00:00Z'), 'a');
    await l.credit('ADJUST', 'UNILEVER', 200, at('2022-10-31T11:00:00Z'), 'b');
    expect(await l.debitPayer('DANNON', 200, 'c')).toEqual([{ payer: 'DANNON', points: 200 }]);
    await l.credit('ADJUST', 'MILLER COORS', 10000, at('2022-11-01T14:00:00Z'), 'd');
    await l.credit('ADJUST', 'DANNON', 1000, at('2022-11-02T14:00:00Z'), 'e');
    expect(await l.redeem(5000, 'f')).toEqual([
      { payer: 'DANNON', points: 100 },
      { payer: 'UNILEVER', points: 200 },
      { payer: 'MILLER COORS', points: 4700 },
    ]);
    const s = expectLedgerRowInvariants(l.rows());
    expect(s.byPayer).toEqual({ DANNON: 1000, UNILEVER: 0, 'MILLER COORS': 5300 });
  });

  it('orders equal timestamps by arrival, and a later-arriving older lot first', async () => {
    const l = ledger();
    const t = new Date('2026-01-02T00:00:00Z');
    await l.credit('EARN', 'B', 5, t, 'x');
    await l.credit('EARN', 'A', 5, t, 'y');
    await l.credit('EARN', 'C', 5, new Date('2026-01-01T00:00:00Z'), 'z');
    expect(await l.redeem(12, 'r')).toEqual([
      { payer: 'C', points: 5 },
      { payer: 'B', points: 5 },
      { payer: 'A', points: 2 },
    ]);
    expectLedgerRowInvariants(l.rows());
  });
});
