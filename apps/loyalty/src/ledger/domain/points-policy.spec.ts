import { DomainError } from '@lib/errors';
import { checkPointsPolicy, DEFAULT_POINTS_POLICY, lotDates } from './points-policy';

const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
    return [];
  } catch (err) {
    return ((err as DomainError).errors ?? []).map((e) => e.field);
  }
};

describe('points policy (pure)', () => {
  const at = new Date('2025-03-10T12:00:00Z');

  it('by default points are available at once and never expire, with 30 days of warning', () => {
    expect(DEFAULT_POINTS_POLICY).toEqual({ pendingDays: 0, expiryDays: null, expiryWarningDays: 30 });
    expect(lotDates(DEFAULT_POINTS_POLICY, at, true)).toEqual({ availableAt: at, expiresAt: null });
  });

  it('a purchase waits out pendingDays from when it happened; both kinds expire expiryDays after it', () => {
    const policy = { pendingDays: 3, expiryDays: 30, expiryWarningDays: 7 };
    expect(lotDates(policy, at, true)).toEqual({
      availableAt: new Date('2025-03-13T12:00:00Z'),
      expiresAt: new Date('2025-04-09T12:00:00Z'),
    });
    // A payer transaction is available at once.
    expect(lotDates(policy, at, false)).toEqual({
      availableAt: at,
      expiresAt: new Date('2025-04-09T12:00:00Z'),
    });
  });

  it('refuses a policy whose points would expire before (or as) they become available, naming expiryDays', () => {
    expect(
      fieldsOf(() => checkPointsPolicy({ pendingDays: 5, expiryDays: 5, expiryWarningDays: 1 })),
    ).toEqual(['expiryDays']);
    expect(
      fieldsOf(() => checkPointsPolicy({ pendingDays: 5, expiryDays: 4, expiryWarningDays: 1 })),
    ).toEqual(['expiryDays']);
    const ok = { pendingDays: 5, expiryDays: 6, expiryWarningDays: 1 };
    expect(checkPointsPolicy(ok)).toBe(ok);
    expect(
      checkPointsPolicy({ pendingDays: 365, expiryDays: null, expiryWarningDays: 30 }).expiryDays,
    ).toBeNull();
  });
});
