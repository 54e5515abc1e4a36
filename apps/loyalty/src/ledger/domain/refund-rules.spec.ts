import fc from 'fast-check';
import { DomainError } from '@lib/errors';
import { parseEarnRate } from './money';
import type { Lot } from './payer-lots';
import { checkRefundable, planRefund, refundPoints, type RefundablePurchase } from './refund-rules';

const purchase = (over: Partial<RefundablePurchase> = {}): RefundablePurchase => ({
  currency: 'USD',
  minorUnits: 2,
  amountMinor: 10_000,
  refundedMinor: 0,
  rate: parseEarnRate('1')!,
  pointsEarned: 100,
  refundedPoints: 0,
  ...over,
});

const lot = (lotId: string, payer: string, remaining: number, day: number, seq = day): Lot => ({
  lotId,
  payer,
  remaining,
  seq,
  timestamp: new Date(Date.UTC(2025, 0, day)),
});

describe('refund rules (pure)', () => {
  it('refunds may add up to the purchase amount and no more: 422 REFUND_EXCEEDS_PURCHASE says what is left', () => {
    expect(() => checkRefundable(purchase({ refundedMinor: 4_000 }), 6_000, '60.00')).not.toThrow();
    let refused: DomainError | undefined;
    try {
      checkRefundable(purchase({ refundedMinor: 4_000 }), 6_001, '60.01');
    } catch (err) {
      refused = err as DomainError;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused!.code).toBe('REFUND_EXCEEDS_PURCHASE');
    expect(refused!.details).toMatchObject({ refundable: '60.00' });
    expect(refused!.errors?.map((e) => e.field)).toEqual(['amount']);
  });

  it('takes back floor(amount × the purchase rate), never more than the purchase has left unrefunded', () => {
    const atOneAndAHalf = purchase({ rate: parseEarnRate('1.5')!, pointsEarned: 150 });
    expect(refundPoints(atOneAndAHalf, 333)).toBe(4); // 3.33 × 1.5 = 4.995
    expect(refundPoints(atOneAndAHalf, 10_000)).toBe(150);
    expect(refundPoints(purchase({ refundedPoints: 95 }), 9_000)).toBe(5);
    expect(refundPoints(purchase({ amountMinor: 1500, pointsEarned: 15 }), 1500)).toBe(15);
  });

  it('property: however a purchase is refunded in parts, the points taken back add up to at most what it earned', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 20 }),
        (amountMinor, milli, parts) => {
          const rate = { units: BigInt(milli), scale: 3 };
          const earned = Number((BigInt(amountMinor) * rate.units) / 100_000n);
          let p = purchase({ amountMinor, rate, pointsEarned: earned });
          for (const part of parts) {
            if (p.refundedMinor + part > p.amountMinor) continue;
            const points = refundPoints(p, part);
            expect(points).toBeGreaterThanOrEqual(0);
            p = { ...p, refundedMinor: p.refundedMinor + part, refundedPoints: p.refundedPoints + points };
          }
          expect(p.refundedPoints).toBeLessThanOrEqual(earned);
        },
      ),
    );
  });

  it("takes the purchase's own points first, pending or not, then the oldest others; the rest is unrecovered", () => {
    const others = [lot('old', 'DANNON', 5, 1), lot('mid', 'STORE', 5, 2), lot('new', 'DANNON', 5, 3)];
    expect(planRefund(8, { lotId: 'own', payer: 'STORE', remaining: 10, pending: true }, others)).toEqual({
      own: 8,
      others: [],
      unrecovered: 0,
    });
    const plan = planRefund(18, { lotId: 'own', payer: 'STORE', remaining: 10, pending: false }, others);
    expect(plan.own).toBe(10);
    expect(plan.others.map((t) => [t.lotId, t.points])).toEqual([
      ['old', 5],
      ['mid', 3],
    ]);
    expect(plan.unrecovered).toBe(0);
    // Its own lot spent out and too few others: what is missing is unrecovered, nothing goes negative.
    expect(
      planRefund(20, { lotId: 'own', payer: 'STORE', remaining: 0, pending: false }, others),
    ).toMatchObject({
      own: 0,
      unrecovered: 5,
    });
    expect(planRefund(7, null, [])).toEqual({ own: 0, others: [], unrecovered: 7 });
    expect(planRefund(0, null, others)).toEqual({ own: 0, others: [], unrecovered: 0 });
  });
});
