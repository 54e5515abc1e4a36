import { checkTiers, describeTiers, newRow, tierErrorSentence, tierFieldLabel } from './tiersForm';
import type { TiersForm } from './tiersForm';

const row = (name: string, minPoints: string, earnMultiplier: string) => ({
  ...newRow(),
  name,
  minPoints,
  earnMultiplier,
});
const form = (...tiers: ReturnType<typeof row>[]): TiersForm => ({ qualifyingDays: '365', tiers });
const errorsOf = (f: TiersForm) => {
  const checked = checkTiers(f);
  return checked.ok ? {} : checked.errors;
};

describe('checkTiers', () => {
  it('reads a valid table: trimmed names, whole points, multipliers as typed', () => {
    expect(
      checkTiers({
        qualifyingDays: ' 180 ',
        tiers: [row(' Standard ', '0', '1'), row('Silver', '1000', '1.5'), row('Gold', '5000', '10.00')],
      }),
    ).toEqual({
      ok: true,
      table: {
        qualifyingDays: 180,
        tiers: [
          { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
          { name: 'Silver', minPoints: 1000, earnMultiplier: '1.5' },
          { name: 'Gold', minPoints: 5000, earnMultiplier: '10.00' },
        ],
      },
    });
  });

  it('wants the first tier at 0 points', () => {
    expect(errorsOf(form(row('Standard', '100', '1')))).toEqual({
      'tiers.0.minPoints': 'The first tier starts at 0 points: every group is in a tier.',
    });
  });

  it('wants minimum points strictly increasing, naming the row that breaks the order', () => {
    expect(errorsOf(form(row('A', '0', '1'), row('B', '500', '2'), row('C', '500', '3')))).toEqual({
      'tiers.2.minPoints': 'Enter more than the tier above (500): list tiers from lowest to highest.',
    });
    expect(
      Object.keys(
        errorsOf(form(row('A', '0', '1'), row('B', '1000', '2'), row('C', '300', '3'), row('D', '400', '4'))),
      ),
    ).toEqual(['tiers.2.minPoints']);
  });

  it('wants unique names, whatever their case and spaces', () => {
    expect(errorsOf(form(row('Gold', '0', '1'), row(' gold ', '10', '2')))).toEqual({
      'tiers.1.name': 'Another tier is already named “Gold”: names must differ.',
    });
  });

  it.each(['0', '0.5', '11', '10.5', '1.234', '1.', '.5', 'x', '', '-1'])(
    'refuses the multiplier %j',
    (m) => {
      expect(Object.keys(errorsOf(form(row('A', '0', m))))).toEqual(['tiers.0.earnMultiplier']);
    },
  );

  it.each(['1', '1.5', '2.25', '10', '10.0', '10.00', '9.99'])('takes the multiplier %j', (m) => {
    expect(checkTiers(form(row('A', '0', m))).ok).toBe(true);
  });

  it('names every wrong field at once', () => {
    expect(
      Object.keys(errorsOf({ qualifyingDays: '0', tiers: [row('', 'x', '1'), row('B', '-5', '1')] })).sort(),
    ).toEqual(['qualifyingDays', 'tiers.0.minPoints', 'tiers.0.name', 'tiers.1.minPoints']);
    expect(errorsOf({ qualifyingDays: '3651', tiers: [] })).toEqual({
      qualifyingDays: 'Enter a whole number of days from 1 to 3650.',
      tiers: 'Add at least one tier: the first, at 0 points, is every group’s.',
    });
  });

  it('allows at most 20 tiers', () => {
    const tiers = Array.from({ length: 21 }, (_, i) => row(`T${i}`, String(i * 10), '1'));
    expect(errorsOf(form(...tiers))).toEqual({ tiers: 'There can be at most 20 tiers.' });
    expect(checkTiers(form(...tiers.slice(0, 20))).ok).toBe(true);
  });
});

describe('the tiers review and errors', () => {
  it('asks in a sentence', () => {
    expect(
      describeTiers({
        qualifyingDays: 365,
        tiers: [
          { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
          { name: 'Silver', minPoints: 100, earnMultiplier: '2' },
        ],
      }),
    ).toBe('Save 2 tiers, counting qualifying points over the last 365 days?');
  });

  it('names the API’s fields in the form’s words, rows counted from 1', () => {
    expect(tierFieldLabel('tiers.1.minPoints')).toBe('Tier 2 minimum points');
    expect(tierFieldLabel('tiers.0.earnMultiplier')).toBe('Tier 1 earn multiplier');
    expect(tierFieldLabel('tiers.11.name')).toBe('Tier 12 name');
    expect(tierFieldLabel('tiers.3')).toBe('Tier 4');
    expect(tierFieldLabel('qualifyingDays')).toBe('Qualifying days');
    expect(tierFieldLabel('tiers.0.colour')).toBe('tiers.0.colour');
    expect(tierErrorSentence('tiers.1.minPoints', 'must be at least 1')).toBe(
      'Tier 2 minimum points must be at least 1.',
    );
    expect(tierErrorSentence('qualifyingDays', 'must be at most 3650.')).toBe(
      'Qualifying days must be at most 3650.',
    );
  });

  it('says the counts with the right plural', () => {
    expect(
      describeTiers({ qualifyingDays: 1, tiers: [{ name: 'A', minPoints: 0, earnMultiplier: '1' }] }),
    ).toBe('Save 1 tier, counting qualifying points over the last day?');
    expect(
      describeTiers({ qualifyingDays: 3650, tiers: [{ name: 'A', minPoints: 0, earnMultiplier: '1' }] }),
    ).toBe('Save 1 tier, counting qualifying points over the last 3,650 days?');
  });
});
