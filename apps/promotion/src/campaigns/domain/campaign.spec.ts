import { DomainError, ValidationFailed } from '@lib/errors';
import { assertStatusChange, Campaign, isIssuingAt, newCampaign, windowsOverlap } from './campaign';

const now = new Date('2026-06-01T12:00:00Z');
const at = (iso: string) => new Date(iso);

function campaign(over: Partial<Campaign> = {}): Campaign {
  return {
    ...newCampaign(
      { campaignId: 'c-1', name: 'n', trigger: 'FIRST_LOGIN', discountPercent: 30, voucherLimit: 10 },
      now,
      30,
    ),
    ...over,
  };
}

describe('campaign rules', () => {
  it('a new campaign is ACTIVE, starts now, is open-ended, and has its whole limit remaining', () => {
    expect(campaign()).toMatchObject({
      status: 'ACTIVE',
      startsAt: now,
      endsAt: null,
      issued: 0,
      remaining: 10,
      redeemed: 0,
      voucherValidDays: 30,
    });
  });

  it('refuses an end before the start, or in the past', () => {
    const input = {
      campaignId: 'c',
      name: 'n',
      trigger: 'FIRST_LOGIN' as const,
      discountPercent: 1,
      voucherLimit: 1,
    };
    expect(() =>
      newCampaign({ ...input, startsAt: '2026-07-01T00:00:00Z', endsAt: '2026-06-30T00:00:00Z' }, now, 30),
    ).toThrow(ValidationFailed);
    expect(() => newCampaign({ ...input, endsAt: '2026-05-01T00:00:00Z' }, now, 30)).toThrow(
      ValidationFailed,
    );
  });

  it('windows are half-open and a null end reaches forever', () => {
    const a = { startsAt: at('2026-06-01T00:00:00Z'), endsAt: at('2026-06-02T00:00:00Z') };
    expect(windowsOverlap(a, { startsAt: at('2026-06-02T00:00:00Z'), endsAt: null })).toBe(false);
    expect(windowsOverlap(a, { startsAt: at('2026-06-01T23:59:59Z'), endsAt: null })).toBe(true);
    expect(
      windowsOverlap(a, { startsAt: at('2026-05-01T00:00:00Z'), endsAt: at('2026-06-01T00:00:00Z') }),
    ).toBe(false);
    expect(windowsOverlap({ startsAt: at('2026-01-01T00:00:00Z'), endsAt: null }, a)).toBe(true);
  });

  it('issues only while ACTIVE and inside its window', () => {
    const c = campaign({ endsAt: at('2026-06-02T12:00:00Z') });
    expect(isIssuingAt(c, now)).toBe(true);
    expect(isIssuingAt(c, at('2026-06-01T11:59:59Z'))).toBe(false);
    expect(isIssuingAt(c, at('2026-06-02T12:00:00Z'))).toBe(false);
    expect(isIssuingAt({ ...c, status: 'PAUSED' }, now)).toBe(false);
  });

  it('ENDED is final; anything else may change', () => {
    expect(() => assertStatusChange('ACTIVE', 'PAUSED')).not.toThrow();
    expect(() => assertStatusChange('PAUSED', 'ACTIVE')).not.toThrow();
    expect(() => assertStatusChange('PAUSED', 'ENDED')).not.toThrow();
    expect(() => assertStatusChange('ENDED', 'ACTIVE')).toThrow(DomainError);
    expect(() => assertStatusChange('ENDED', 'PAUSED')).toThrow(
      expect.objectContaining({ code: 'CAMPAIGN_CONFLICT' }) as Error,
    );
  });
});
