import {
  balanceChange,
  checkAdjustment,
  describeAdjusted,
  describeAdjustment,
  EMPTY_ADJUSTMENT_FORM,
  formatSignedPoints,
  newTransactionId,
} from './adjustment';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('checkAdjustment', () => {
  it('names every missing or wrong field', () => {
    const checked = checkAdjustment({ ...EMPTY_ADJUSTMENT_FORM, points: '1.5' });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(['payer', 'points', 'reason']);
  });

  it.each(['0', '-0', '+0', 'abc', '12e3', ''])('refuses %j points', (points) => {
    const checked = checkAdjustment({ payer: 'STORE', points, reason: 'r', timestamp: '' });
    expect(checked).toMatchObject({ ok: false, errors: { points: expect.any(String) } });
  });

  it('reads signed whole numbers and upper-cases the payer', () => {
    expect(
      checkAdjustment({ payer: ' dannon ', points: ' -200 ', reason: ' goodwill ', timestamp: '' }),
    ).toEqual({
      ok: true,
      adjustment: { payer: 'DANNON', points: -200, reason: 'goodwill' },
    });
    expect(checkAdjustment({ payer: 'STORE', points: '+500', reason: 'r', timestamp: '' })).toMatchObject({
      adjustment: { points: 500 },
    });
  });

  it('turns a local timestamp into ISO-8601 UTC', () => {
    const checked = checkAdjustment({
      payer: 'STORE',
      points: '5',
      reason: 'r',
      timestamp: '2024-03-01T10:30',
    });
    expect(checked).toMatchObject({
      ok: true,
      adjustment: { timestamp: new Date('2024-03-01T10:30').toISOString() },
    });
  });
});

describe('describeAdjustment', () => {
  it('says which way the points go', () => {
    expect(describeAdjustment({ payer: 'STORE', points: 1500, reason: 'r' }, 'the group of ann')).toBe(
      'Add 1,500 points to payer STORE in the group of ann?',
    );
    expect(describeAdjustment({ payer: 'DANNON', points: -1, reason: 'r' }, 'the group of ann')).toBe(
      'Remove 1 point from payer DANNON in the group of ann?',
    );
  });
});

describe('describeAdjusted', () => {
  it('says what was done and the balance now', () => {
    expect(describeAdjusted({ payer: 'STORE', points: 50, reason: 'r' }, 'the group of ann, bob', 1250)).toBe(
      'Added 50 points to payer STORE in the group of ann, bob. Balance: 1,250.',
    );
  });
});

describe('balanceChange', () => {
  it("gives the group's and the payer's points before and after, a new payer from 0", () => {
    expect(balanceChange({ payer: 'STORE', points: -200, reason: 'r' }, 1500, { STORE: 1000 })).toEqual({
      group: [1500, 1300],
      payer: [1000, 800],
    });
    expect(balanceChange({ payer: 'NEW', points: 40, reason: 'r' }, 1500, { STORE: 1000 })).toEqual({
      group: [1500, 1540],
      payer: [0, 40],
    });
  });
});

describe('formatSignedPoints', () => {
  it('signs both ways', () => {
    expect(formatSignedPoints(1200)).toBe('+1,200');
    expect(formatSignedPoints(-5)).toBe('-5');
  });
});

describe('newTransactionId', () => {
  it('is a fresh v4 UUID, also where crypto.randomUUID is missing (plain http)', () => {
    const a = newTransactionId();
    expect(a).toMatch(UUID);
    expect(newTransactionId()).not.toBe(a);
    const randomUUID = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
      expect(newTransactionId()).toMatch(UUID);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: randomUUID, configurable: true });
    }
  });
});
