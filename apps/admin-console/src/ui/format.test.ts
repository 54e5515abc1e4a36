import {
  formatCount,
  formatDate,
  formatDay,
  formatRange,
  futureDayProblem,
  plural,
  rangeProblem,
} from './format';

describe('format', () => {
  it('writes counts with the word that agrees with them', () => {
    expect(plural(1, 'code')).toBe('1 code');
    expect(plural(0, 'code')).toBe('0 codes');
    expect(plural(1500, 'line')).toBe('1,500 lines');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(formatCount(400005)).toBe('400,005');
  });

  it('writes moments and days in one style', () => {
    const moment = formatDate('2026-12-06T14:05:00Z');
    expect(moment).toMatch(/^\d{1,2} Dec 2026, \d{2}:\d{2}$/);
    expect(formatDay('2026-12-06')).toBe('6 Dec 2026');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('never calls a range with an end open-ended', () => {
    expect(formatRange('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).not.toMatch(/open-ended/i);
    expect(formatRange('2026-01-01T00:00:00Z', null)).toMatch(/open-ended/);
    expect(formatRange(null, '2026-02-01T00:00:00Z')).toMatch(/^Until /);
    expect(formatRange(null, null)).toBe('Always (no start or end)');
  });

  it('finds an end not after its start, and a day in the future, before anything is sent', () => {
    expect(rangeProblem('2026-03-01T10:00', '2026-03-01T09:00')).toBe('The end must be after the start.');
    expect(rangeProblem('2026-03-01T10:00', '2026-03-01T10:00')).toBe('The end must be after the start.');
    expect(rangeProblem('2026-03-01T10:00', '2026-03-02T10:00')).toBeUndefined();
    expect(rangeProblem('', '2026-03-02T10:00')).toBeUndefined();
    const now = new Date('2026-12-06T12:00:00Z');
    expect(futureDayProblem('2030-01-01', now)).toMatch(/in the future/);
    expect(futureDayProblem('2026-12-06', now)).toBeUndefined();
    expect(futureDayProblem('1990-05-17', now)).toBeUndefined();
  });
});
