import { DomainError } from '@lib/errors';
import {
  checkTierTable,
  DEFAULT_TIERS,
  multiplierOf,
  tierFor,
  tiersMatter,
  tierStanding,
  type TierTable,
} from './tiers';

const TABLE: TierTable = {
  qualifyingDays: 365,
  tiers: [
    { name: 'Bronze', minPoints: 0, earnMultiplier: '1' },
    { name: 'Silver', minPoints: 500, earnMultiplier: '1.25' },
    { name: 'Gold', minPoints: 2000, earnMultiplier: '2' },
  ],
};

const errorsOf = (table: TierTable) => {
  try {
    checkTierTable(table);
    return [];
  } catch (err) {
    expect((err as DomainError).code).toBe('VALIDATION_FAILED');
    return ((err as DomainError).errors ?? []).map((e) => e.field);
  }
};

describe('tiers (pure)', () => {
  it('a group is in the highest tier whose minPoints it reaches, from that very point', () => {
    expect(tierFor(TABLE, 0).name).toBe('Bronze');
    expect(tierFor(TABLE, 499).name).toBe('Bronze');
    expect(tierFor(TABLE, 500).name).toBe('Silver');
    expect(tierFor(TABLE, 1999).name).toBe('Silver');
    expect(tierFor(TABLE, 2000).name).toBe('Gold');
    expect(tierFor(TABLE, 10 ** 9).name).toBe('Gold');
  });

  it('the standing names the next tier and the points still needed; the top tier has none', () => {
    expect(tierStanding(TABLE, 120)).toEqual({
      name: 'Bronze',
      earnMultiplier: '1',
      qualifyingPoints: 120,
      nextTier: 'Silver',
      pointsToNextTier: 380,
    });
    expect(tierStanding(TABLE, 500)).toMatchObject({
      name: 'Silver',
      nextTier: 'Gold',
      pointsToNextTier: 1500,
    });
    expect(tierStanding(TABLE, 2500)).toMatchObject({ name: 'Gold', nextTier: null, pointsToNextTier: null });
    expect(tierStanding(DEFAULT_TIERS, 42)).toEqual({
      name: 'Standard',
      earnMultiplier: '1',
      qualifyingPoints: 42,
      nextTier: null,
      pointsToNextTier: null,
    });
  });

  it('tiers matter only with more than one tier or a multiplier other than 1', () => {
    expect(tiersMatter(DEFAULT_TIERS)).toBe(false);
    expect(
      tiersMatter({ qualifyingDays: 30, tiers: [{ name: 'Only', minPoints: 0, earnMultiplier: '1.5' }] }),
    ).toBe(true);
    expect(tiersMatter(TABLE)).toBe(true);
    expect(multiplierOf(TABLE.tiers[1])).toEqual({ units: 125n, scale: 2 });
  });

  it('accepts a table listed lowest first from 0, and refuses each broken rule naming its field', () => {
    expect(checkTierTable(TABLE)).toBe(TABLE);
    expect(
      errorsOf({ ...TABLE, tiers: [{ ...TABLE.tiers[0], minPoints: 10 }, ...TABLE.tiers.slice(1)] }),
    ).toEqual(['tiers.0.minPoints']);
    expect(errorsOf({ ...TABLE, tiers: [TABLE.tiers[0], TABLE.tiers[2], TABLE.tiers[1]] })).toEqual([
      'tiers.2.minPoints',
    ]);
    expect(errorsOf({ ...TABLE, tiers: [TABLE.tiers[0], { ...TABLE.tiers[1], minPoints: 0 }] })).toEqual([
      'tiers.1.minPoints',
    ]);
    // Names are compared as people read them: case and surrounding spaces don't make another tier.
    expect(errorsOf({ ...TABLE, tiers: [TABLE.tiers[0], { ...TABLE.tiers[1], name: ' bronze ' }] })).toEqual([
      'tiers.1.name',
    ]);
    // Every problem at once.
    expect(
      errorsOf({
        qualifyingDays: 365,
        tiers: [
          { name: 'A', minPoints: 5, earnMultiplier: '1' },
          { name: 'a', minPoints: 5, earnMultiplier: '2' },
        ],
      }),
    ).toEqual(['tiers.0.minPoints', 'tiers.1.minPoints', 'tiers.1.name']);
  });
});
