import { axisDay, campaignBars, chartDays, describeDay, pointsTotals, unavailableMessage } from './stats';

describe('home stats helpers', () => {
  it("prints UTC days in the console's day format, short on the axis, whatever the local time zone", () => {
    expect(axisDay('2025-11-25')).toBe('25 Nov');
    expect(axisDay('2026-01-01')).toBe('1 Jan');
  });

  it('leaves a day it cannot read as it is', () => {
    expect(axisDay('soon')).toBe('soon');
  });

  it("names a day's bars in words, with thousands separators", () => {
    expect(describeDay({ date: '2026-12-06', earned: 1200, redeemed: 300 })).toBe(
      '6 Dec 2026: 1,200 earned, 300 redeemed',
    );
  });

  it('orders the days oldest first and labels them', () => {
    const days = chartDays([
      { date: '2025-11-26', earned: 5, redeemed: 1 },
      { date: '2025-11-25', earned: 3, redeemed: 0 },
    ]);
    expect(days.map((d) => d.label)).toEqual(['25 Nov', '26 Nov']);
    expect(days[1]).toEqual({ date: '2025-11-26', earned: 5, redeemed: 1, label: '26 Nov' });
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
});
