import { allocateFirstLogins } from './first-login-allocation';
import { Campaign, newCampaign } from './campaign';

const t = (minute: number) => new Date(Date.UTC(2026, 5, 1, 12, minute));
const campaign = (id: string, startsAt: Date, endsAt: Date | null): Campaign => ({
  ...newCampaign(
    { campaignId: id, name: id, trigger: 'FIRST_LOGIN', discountPercent: 10, voucherLimit: 5 },
    t(0),
    30,
  ),
  startsAt,
  endsAt,
});

describe('allocateFirstLogins', () => {
  it('gives each login to the campaign issuing at its time, earliest first, once per user', () => {
    const a = campaign('a', t(0), t(10));
    const b = campaign('b', t(10), null);
    const result = allocateFirstLogins(
      [
        { eventId: 'e3', userId: 'u3', at: t(12), registeredAt: null },
        { eventId: 'e1', userId: 'u1', at: t(5), registeredAt: null },
        { eventId: 'e2', userId: 'u2', at: t(3), registeredAt: null },
        { eventId: 'e4', userId: 'u2', at: t(4), registeredAt: null }, // the same user again
        { eventId: 'e0', userId: 'u0', at: new Date(Date.UTC(2026, 4, 1)), registeredAt: null }, // before any campaign
      ],
      [a, b],
    );
    expect(result.map((r) => [r.campaign.campaignId, r.logins.map((l) => l.eventId)])).toEqual([
      ['a', ['e2', 'e1']],
      ['b', ['e3']],
    ]);
  });

  it('gives a campaign with eligibility.registeredBefore only accounts created before it', () => {
    const a = { ...campaign('a', t(0), null), registeredBefore: t(-60) };
    const result = allocateFirstLogins(
      [
        { eventId: 'old', userId: 'u1', at: t(1), registeredAt: t(-61) },
        { eventId: 'at-cutoff', userId: 'u2', at: t(2), registeredAt: t(-60) },
        { eventId: 'new', userId: 'u3', at: t(3), registeredAt: t(-1) },
        { eventId: 'unknown', userId: 'u4', at: t(4), registeredAt: null }, // an older event
      ],
      [a],
    );
    expect(result.map((r) => r.logins.map((l) => l.eventId))).toEqual([['old']]);
  });

  it('ignores paused campaigns', () => {
    const a = { ...campaign('a', t(0), null), status: 'PAUSED' as const };
    expect(allocateFirstLogins([{ eventId: 'e', userId: 'u', at: t(1), registeredAt: null }], [a])).toEqual(
      [],
    );
  });
});
