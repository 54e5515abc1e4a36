import {
  campaignBars,
  chartDays,
  longDate,
  pointsTotals,
  shortDate,
  shortId,
  unavailableMessage,
} from './stats';

describe('home stats helpers', () => {
  it('prints UTC days short and long, whatever the local time zone', () => {
    expect(shortDate('2025-11-25')).toBe('Nov 25');
    expect(shortDate('2026-01-01')).toBe('Jan 1');
    expect(longDate('2025-11-25')).toBe('Tue, Nov 25, 2025');
  });

  it('leaves a day it cannot read as it is', () => {
    expect(shortDate('soon')).toBe('soon');
  });

  it('orders the days oldest first and labels them', () => {
    const days = chartDays([
      { date: '2025-11-26', earned: 5, redeemed: 1 },
      { date: '2025-11-25', earned: 3, redeemed: 0 },
    ]);
    expect(days.map((d) => d.label)).toEqual(['Nov 25', 'Nov 26']);
    expect(days[1]).toEqual({ date: '2025-11-26', earned: 5, redeemed: 1, label: 'Nov 26' });
  });

  it('adds up the points of the period', () => {
    expect(
      pointsTotals([
        { date: '2025-11-25', earned: 300, redeemed: 20 },
        { date: '2025-11-26', earned: 50, redeemed: 200 },
      ]),
    ).toEqual({ earned: 350, redeemed: 220 });
    expect(pointsTotals([])).toEqual({ earned: 0, redeemed: 0 });
  });

  it('gives each campaign its limit as issued + remaining', () => {
    expect(campaignBars([{ campaignId: 'c', name: 'W', issued: 30, remaining: 70 }])).toEqual([
      { campaignId: 'c', name: 'W', issued: 30, remaining: 70, limit: 100 },
    ]);
  });

  it('names the service that did not answer', () => {
    expect(unavailableMessage('members')).toBe('Not available right now (the auth service did not answer)');
    expect(unavailableMessage('pointsByDay')).toBe(
      'Not available right now (the loyalty service did not answer)',
    );
    expect(unavailableMessage('runningJobs')).toContain('promotion');
  });

  it('shortens ids to 8 characters', () => {
    expect(shortId('0123456789abcdef')).toBe('01234567');
  });
});
