import fc from 'fast-check';
import { settle, type TimedLot } from './lot-settlement';

const at = (iso: string) => new Date(iso);
const lot = (over: Partial<TimedLot> & Pick<TimedLot, 'lotId'>): TimedLot => ({
  payer: 'STORE',
  reference: over.lotId,
  remaining: 10,
  pending: false,
  availableAt: at('2025-01-01T00:00:00Z'),
  expiresAt: null,
  ...over,
});

describe('settle: what time does to lots (pure)', () => {
  it('a pending lot becomes available at availableAt exactly, moving its points from pending to the balance', () => {
    const l = lot({ lotId: 'a', pending: true, availableAt: at('2025-01-03T00:00:00Z'), remaining: 7 });
    expect(settle([l], at('2025-01-02T23:59:59.999Z')).transitions).toEqual([]);
    expect(settle([l], at('2025-01-03T00:00:00Z'))).toEqual({
      transitions: [{ lotId: 'a', expect: { remaining: 7, pending: true }, matured: true, expired: 0 }],
      delta: { balance: 7, pending: -7, byPayer: { STORE: 7 } },
      expired: [],
    });
  });

  it("an available lot's remainder expires at expiresAt exactly; a spent-out lot has nothing to expire", () => {
    const expiresAt = at('2025-02-01T00:00:00Z');
    const lots = [
      lot({ lotId: 'a', payer: 'DANNON', reference: 'p-1', remaining: 4, expiresAt }),
      lot({ lotId: 'b', remaining: 0, expiresAt }),
    ];
    expect(settle(lots, at('2025-01-31T23:59:59.999Z')).transitions).toEqual([]);
    expect(settle(lots, expiresAt)).toEqual({
      transitions: [{ lotId: 'a', expect: { remaining: 4, pending: false }, matured: false, expired: 4 }],
      delta: { balance: -4, pending: 0, byPayer: { DANNON: -4 } },
      expired: [{ lotId: 'a', payer: 'DANNON', reference: 'p-1', points: 4, expiresAt }],
    });
  });

  it('a lot past both dates matures and expires at once: its points leave pending and never count in the balance', () => {
    const l = lot({
      lotId: 'a',
      pending: true,
      remaining: 5,
      availableAt: at('2025-01-02T00:00:00Z'),
      expiresAt: at('2025-01-05T00:00:00Z'),
    });
    const s = settle([l], at('2025-01-09T00:00:00Z'));
    expect(s.transitions).toEqual([
      { lotId: 'a', expect: { remaining: 5, pending: true }, matured: true, expired: 5 },
    ]);
    expect(s.delta.balance).toBe(0);
    expect(s.delta.pending).toBe(-5);
    expect(s.delta.byPayer.STORE ?? 0).toBe(0);
    expect(s.expired.map((e) => e.points)).toEqual([5]);
  });

  it('lists expired lots in expiry order (then by lotId), one each', () => {
    const lots = [
      lot({ lotId: 'c', expiresAt: at('2025-01-03T00:00:00Z') }),
      lot({ lotId: 'b', expiresAt: at('2025-01-02T00:00:00Z') }),
      lot({ lotId: 'a', expiresAt: at('2025-01-03T00:00:00Z') }),
    ];
    expect(settle(lots, at('2025-01-04T00:00:00Z')).expired.map((e) => e.lotId)).toEqual(['b', 'a', 'c']);
  });

  const timedLot = fc.record({
    lotId: fc.uuid(),
    payer: fc.constantFrom('A', 'B'),
    reference: fc.constant('r'),
    remaining: fc.nat({ max: 50 }),
    pending: fc.boolean(),
    availableAt: fc.integer({ min: 0, max: 100 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 3_600_000)),
    expiresAt: fc.option(
      fc.integer({ min: 0, max: 100 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 3_600_000)),
      { nil: null },
    ),
  });

  it('property: what leaves pending and the balance is exactly what expires, and settling the result again changes nothing', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(timedLot, { selector: (l) => l.lotId, maxLength: 12 }),
        fc.integer({ min: 0, max: 100 }),
        (lots, hour) => {
          const now = new Date(Date.UTC(2025, 0, 1) + hour * 3_600_000);
          const s = settle(lots, now);
          const expired = s.expired.reduce((sum, e) => sum + e.points, 0);
          expect(s.delta.balance + s.delta.pending + expired).toBe(0);
          expect(Object.values(s.delta.byPayer).reduce((sum, n) => sum + n, 0)).toBe(s.delta.balance);
          const after = lots.map((l) => {
            const t = s.transitions.find((x) => x.lotId === l.lotId);
            return t ? { ...l, pending: l.pending && !t.matured, remaining: l.remaining - t.expired } : l;
          });
          expect(settle(after, now).transitions).toEqual([]);
        },
      ),
    );
  });
});
