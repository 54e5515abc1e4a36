import { nextAttemptAfterFailure } from './delivery';
import { parseDuration, parseDurationList } from './durations';

describe('retry schedule', () => {
  const schedule = parseDurationList('5s,5m,30m,2h,5h,10h,10h') as number[];
  const at = new Date('2026-12-06T10:00:00.000Z');

  it('reads the default schedule: more than 24 hours of retries in all', () => {
    expect(schedule).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(schedule.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3_600_000);
  });

  it('waits schedule[n-1] after the n-th failed attempt, and stops after 1 + its length attempts', () => {
    expect(nextAttemptAfterFailure(1, schedule, at, false)).toEqual(new Date(at.getTime() + 5_000));
    expect(nextAttemptAfterFailure(7, schedule, at, false)).toEqual(new Date(at.getTime() + 36_000_000));
    expect(nextAttemptAfterFailure(8, schedule, at, false)).toBeNull();
  });

  it('a manual retry of a finished delivery is one attempt only', () => {
    expect(nextAttemptAfterFailure(1, schedule, at, true)).toBeNull();
  });

  it('refuses what is not a duration, and says which part', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5d')).toBe(432_000_000);
    expect(parseDuration('5 minutes')).toBeNull();
    expect(parseDurationList('5s,,5m')).toBe('"" is not a duration (a whole number and ms, s, m, h or d)');
    expect(parseDurationList('5s,1w')).toMatch(/"1w" is not a duration/);
  });
});
