import { decideRefresh, RefreshFamilyState, RefreshTokenState } from './refresh-family';

const now = new Date('2026-11-25T12:00:00Z');
const later = new Date('2026-12-25T12:00:00Z');
const earlier = new Date('2026-11-01T12:00:00Z');
const token = (over: Partial<RefreshTokenState> = {}): RefreshTokenState => ({
  familyId: 'f',
  userId: 'u',
  expiresAt: later,
  usedAt: null,
  ...over,
});
const family = (over: Partial<RefreshFamilyState> = {}): RefreshFamilyState => ({
  familyId: 'f',
  userId: 'u',
  expiresAt: later,
  revokedAt: null,
  ...over,
});

describe('refresh-token families (domain)', () => {
  it('rotates an unused, unexpired token of a live family of an active user', () => {
    expect(decideRefresh({ token: token(), family: family(), userActive: true, now })).toEqual({
      kind: 'rotate',
    });
  });

  it('treats a spent token as reuse: the family must be revoked', () => {
    expect(
      decideRefresh({ token: token({ usedAt: earlier }), family: family(), userActive: true, now }),
    ).toEqual({
      kind: 'reuse-detected',
    });
  });

  it('rejects any token of a revoked family, spent or not', () => {
    for (const t of [token(), token({ usedAt: earlier })]) {
      expect(
        decideRefresh({ token: t, family: family({ revokedAt: earlier }), userActive: true, now }),
      ).toEqual({
        kind: 'reject',
        reason: 'revoked',
      });
    }
  });

  it('rejects unknown and expired tokens, and tokens of disabled accounts', () => {
    expect(decideRefresh({ token: null, family: null, userActive: true, now })).toMatchObject({
      reason: 'unknown',
    });
    expect(
      decideRefresh({ token: token({ expiresAt: earlier }), family: family(), userActive: true, now }),
    ).toMatchObject({ reason: 'expired' });
    expect(
      decideRefresh({ token: token(), family: family({ expiresAt: now }), userActive: true, now }),
    ).toMatchObject({
      reason: 'expired',
    });
    expect(decideRefresh({ token: token(), family: family(), userActive: false, now })).toMatchObject({
      reason: 'account-disabled',
    });
  });
});
