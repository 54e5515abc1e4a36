import { issuedAtSeconds, revocationAt } from './revocation';

const T = Date.UTC(2026, 11, 6, 12, 0, 0, 400); // 12:00:00.400
const refused = (iatSeconds: number, validAfterMs: number) => iatSeconds * 1000 < validAfterMs;

describe('token revocation times (domain)', () => {
  it('issues at the current second when the principal was never revoked', () => {
    expect(issuedAtSeconds(T, null)).toBe(Math.floor(T / 1000));
  });

  it('a token issued before the revocation, even earlier in the same second, is refused', () => {
    for (const issuedMs of [T - 60_000, T - 400, T - 1]) {
      expect(refused(issuedAtSeconds(issuedMs, null), T)).toBe(true);
    }
  });

  it('a token issued after the revocation in the same second carries the next second, and passes', () => {
    const iat = issuedAtSeconds(T + 100, T);
    expect(iat).toBe(Math.ceil(T / 1000));
    expect(refused(iat, T)).toBe(false);
  });

  it('a token issued in a later second carries that second; a revocation on a whole second needs no rounding', () => {
    expect(issuedAtSeconds(T + 5_000, T)).toBe(Math.floor((T + 5_000) / 1000));
    const whole = Date.UTC(2026, 11, 6, 12, 0, 1);
    expect(issuedAtSeconds(whole, whole)).toBe(whole / 1000);
    expect(refused(issuedAtSeconds(whole, whole), whole)).toBe(false);
  });

  it('keeps the record for the retention after the revocation', () => {
    expect(revocationAt('u-1', new Date(T), 1_860_000)).toEqual({
      principalId: 'u-1',
      validAfter: new Date(T),
      expiresAt: new Date(T + 1_860_000),
    });
  });
});
