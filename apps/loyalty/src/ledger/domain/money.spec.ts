import fc from 'fast-check';
import { DomainError } from '@lib/errors';
import { earnedPoints, parseAmount, parseEarnRate } from './money';

const rate = (text: string) => parseEarnRate(text)!;

describe('money: decimal amounts and the earn rate (pure)', () => {
  it('floors exactly where floats would not: 0.29 × 100 is 29, 1.15 × 100 is 115', () => {
    expect(0.29 * 100).toBeLessThan(29); // what a float-based ledger would floor to 28
    expect(earnedPoints(parseAmount('0.29', 'USD').value, rate('100'))).toBe(29);
    expect(earnedPoints(parseAmount('1.15', 'USD').value, rate('100'))).toBe(115);
    expect(earnedPoints(parseAmount('12.50', 'USD').value, rate('1'))).toBe(12);
    expect(earnedPoints(parseAmount('12.50', 'USD').value, rate('1.5'))).toBe(18);
    expect(earnedPoints(parseAmount('999999999.99', 'USD').value, rate('1000'))).toBe(999999999990);
  });

  it('equals floor(cents × rate) computed in integers, for any amount and rate', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 99_999_999_999n }),
        fc.bigInt({ min: 1n, max: 1_000_000n }),
        (cents, milli) => {
          const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
          const rateText = `${milli / 1000n}.${(milli % 1000n).toString().padStart(3, '0')}`;
          const expected = Number((cents * milli) / 100_000n);
          expect(earnedPoints(parseAmount(text, 'USD').value, rate(rateText))).toBe(expected);
        },
      ),
    );
  });

  it('normalizes to the currency minor units and knows currencies with 0 and 3 decimals', () => {
    expect(parseAmount('12.5', 'USD').text).toBe('12.50');
    expect(parseAmount('12', 'EUR').text).toBe('12.00');
    expect(parseAmount('0.05', 'USD').text).toBe('0.05');
    expect(parseAmount('1500', 'JPY').text).toBe('1500');
    expect(parseAmount('1.5', 'BHD').text).toBe('1.500');
  });

  it.each([
    ['-1', 'USD', 'amount'],
    ['1.001', 'USD', 'amount'],
    ['1.5', 'JPY', 'amount'],
    ['0', 'USD', 'amount'],
    ['1000000000', 'USD', 'amount'],
    ['1e3', 'USD', 'amount'],
    ['', 'USD', 'amount'],
    ['1.00', 'XXQ', 'currency'],
  ])('refuses %s %s as VALIDATION_FAILED naming %s', (amount, currency, field) => {
    expect.assertions(2);
    try {
      parseAmount(amount, currency);
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).errors?.[0].field).toBe(field);
    }
  });

  it('accepts only positive earn rates up to 1000 with at most 6 decimals', () => {
    expect(parseEarnRate('1')).toEqual({ units: 1n, scale: 0 });
    expect(parseEarnRate('0.000001')).toEqual({ units: 1n, scale: 6 });
    for (const bad of ['0', '-1', '1.0000001', '1001', 'abc', '1e2', ''])
      expect(parseEarnRate(bad)).toBeUndefined();
  });
});
