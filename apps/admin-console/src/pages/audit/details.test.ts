import { formatDate } from '../../ui/format';
import { describeDetails, detailLabel, detailValue } from './details';

const lines = (details: Record<string, unknown>) =>
  describeDetails(details).map((l) => `${l.label}: ${l.text}`);

describe('audit details in words', () => {
  it('writes flat facts as "field: value" lines, lists joined', () => {
    expect(lines({ transactionId: 't1', payer: 'STORE', points: 1500, reason: 'Welcome gift' })).toEqual([
      'transaction id: t1',
      'payer: STORE',
      'points: 1,500',
      'reason: Welcome gift',
    ]);
    expect(lines({ name: 'Till', scopes: ['purchases:write', 'members:read'] })).toEqual([
      'name: Till',
      'scopes: purchases:write, members:read',
    ]);
    expect(lines({ joinedExistingGroup: false, phone: null })).toEqual([
      'joined existing group: no',
      'phone: —',
    ]);
  });

  it("writes a user's changes as before → after", () => {
    expect(
      lines({
        changes: {
          status: { from: 'ACTIVE', to: 'DISABLED' },
          roles: { from: ['member'], to: ['member', 'admin'] },
        },
        refreshFamiliesRevoked: 2,
      }),
    ).toEqual(['status: ACTIVE → DISABLED', 'roles: member → member, admin', 'refresh families revoked: 2']);
  });

  it('writes only what differs between before and after', () => {
    expect(lines({ name: 'Spring', before: { status: 'ACTIVE' }, after: { status: 'INACTIVE' } })).toEqual([
      'name: Spring',
      'status: ACTIVE → INACTIVE',
    ]);
    expect(
      lines({
        before: { pendingDays: 0, expiryDays: 365 },
        after: { pendingDays: 14, expiryDays: 365 },
      }),
    ).toEqual(['pending days: 0 → 14']);
    expect(
      lines({
        before: { tiers: [{ name: 'Silver', threshold: 100 }] },
        after: {
          tiers: [
            { name: 'Silver', threshold: 200 },
            { name: 'Gold', threshold: 1000 },
          ],
        },
      }),
    ).toEqual(['tiers 1 threshold: 100 → 200', 'tiers 2 name: — → Gold', 'tiers 2 threshold: — → 1,000']);
    expect(lines({ before: { a: 1 }, after: { a: 1 } })).toEqual(['changes: none']);
  });

  it("writes a campaign's status change as from → to", () => {
    expect(lines({ from: 'ACTIVE', status: 'PAUSED' })).toEqual(['status: ACTIVE → PAUSED']);
  });

  it('writes moments in the one date format', () => {
    const at = '2026-12-07T10:00:00.000Z';
    expect(lines({ url: 'https://x.test/h', failingSince: at })).toEqual([
      'url: https://x.test/h',
      `failing since: ${formatDate(at)}`,
    ]);
  });

  it('labels and values', () => {
    expect(detailLabel('pointsRestored')).toBe('points restored');
    expect(detailLabel('rules.0.discountPercent')).toBe('rules 1 discount percent');
    expect(detailValue([])).toBe('none');
    expect(detailValue(true)).toBe('yes');
    expect(describeDetails(null)).toEqual([]);
  });
});
