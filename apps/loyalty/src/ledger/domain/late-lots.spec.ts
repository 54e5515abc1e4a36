import fc from 'fast-check';
import { type Allocation, type PayerDebit, planLateLot } from './late-lots';

const day = (d: number) => new Date(Date.UTC(2022, 9, 30 + d));
const alloc = (lotId: string, points: number, d: number, seq: number): Allocation => ({
  lotId,
  payer: 'DANNON',
  points,
  timestamp: day(d),
  seq,
});

describe('planLateLot: a late, older lot takes negative payer transactions over (seed 004, pure)', () => {
  it('the published example: DANNON −200 took from the 11-02 lot; the 10-31 lot arriving later takes it over', () => {
    const dannon1000 = alloc('dannon-1000', 200, 3, 1);
    const late = alloc('dannon-300', 300, 1, 5);
    const plan = planLateLot(late, [{ key: 'minus-200', allocations: [dannon1000] }]);
    expect(plan.taken).toBe(200);
    expect([...plan.restored]).toEqual([['dannon-1000', 200]]);
    expect(plan.debits).toEqual([{ key: 'minus-200', allocations: [{ ...late, points: 200 }] }]);
  });

  it('gives back the youngest points first, as much as the late lot holds, and leaves older points alone', () => {
    const debits: Array<PayerDebit<string>> = [
      { key: 'd1', allocations: [alloc('oldest', 10, 0, 1), alloc('young', 10, 4, 3)] },
      { key: 'd2', allocations: [alloc('younger', 10, 5, 4)] },
    ];
    const plan = planLateLot(alloc('late', 15, 2, 9), debits);
    expect(plan.taken).toBe(15);
    expect(Object.fromEntries(plan.restored)).toEqual({ younger: 10, young: 5 });
    expect(plan.debits).toEqual([
      { key: 'd2', allocations: [{ ...alloc('late', 10, 2, 9) }] },
      {
        key: 'd1',
        allocations: [alloc('oldest', 10, 0, 1), alloc('late', 5, 2, 9), alloc('young', 5, 4, 3)],
      },
    ]);
  });

  it('changes nothing when no debit holds younger points: same timestamp and earlier arrival is older', () => {
    const debits = [{ key: 'd', allocations: [alloc('same-time', 10, 2, 1), alloc('older', 10, 1, 2)] }];
    expect(planLateLot(alloc('late', 50, 2, 7), debits)).toEqual({
      taken: 0,
      restored: new Map(),
      debits: [],
    });
  });

  it('property: every debit keeps its total, the late lot gives what the younger lots get back, up to what it holds', () => {
    const allocation = fc.record({
      lotId: fc.constantFrom('l1', 'l2', 'l3', 'l4', 'l5'),
      points: fc.integer({ min: 1, max: 40 }),
      d: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(allocation, { selector: (a) => a.lotId, maxLength: 4 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 6 }),
        (raw, capacity, lateDay) => {
          // A lot's place in time is the same in every debit: its day, and its number as seq.
          const debits = raw.map((allocations, i) => ({
            key: i,
            allocations: allocations.map((a) =>
              alloc(a.lotId, a.points, Number(a.lotId[1]), Number(a.lotId[1])),
            ),
          }));
          const late = alloc('late', capacity, lateDay, 100);
          const plan = planLateLot(late, debits);
          const younger = debits
            .flatMap((d) => d.allocations)
            .filter((a) => a.timestamp > late.timestamp)
            .reduce((sum, a) => sum + a.points, 0);
          expect(plan.taken).toBe(Math.min(capacity, younger));
          expect([...plan.restored.values()].reduce((sum, n) => sum + n, 0)).toBe(plan.taken);
          for (const changed of plan.debits) {
            const before = debits[changed.key].allocations.reduce((sum, a) => sum + a.points, 0);
            expect(changed.allocations.reduce((sum, a) => sum + a.points, 0)).toBe(before);
            expect(changed.allocations.every((a) => a.points > 0)).toBe(true);
          }
        },
      ),
    );
  });
});
