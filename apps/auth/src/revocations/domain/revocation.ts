/**
 * Token revocation (docs/architecture.md, "Revocation"): access tokens are stateless, so a
 * principal (a user or an API client) is revoked by a time, `validAfter` (milliseconds), and every
 * verifier refuses that principal's tokens whose `iat` (whole seconds) is before it:
 * `iat * 1000 < validAfter`.
 */
export interface TokenRevocation {
  principalId: string;
  validAfter: Date;
  /** When the record may go: no token issued before `validAfter` is alive by then. */
  expiresAt: Date;
}

/**
 * The `iat` (seconds) of a token issued at `nowMs` to a principal revoked at `validAfterMs`: never
 * before the revocation, rounded up, so a token issued after it (a re-enabled user, a user
 * refreshing with new roles) is never refused, although `iat` has whole seconds only. Every token
 * issued before the revocation has `iat` <= its issue time < `validAfter`, and is refused.
 */
export function issuedAtSeconds(nowMs: number, validAfterMs: number | null): number {
  const now = Math.floor(nowMs / 1000);
  return validAfterMs === null ? now : Math.max(now, Math.ceil(validAfterMs / 1000));
}

/** The record of a revocation at `at`, kept `retentionMs` (the longest token lifetime and a margin). */
export function revocationAt(principalId: string, at: Date, retentionMs: number): TokenRevocation {
  return { principalId, validAfter: at, expiresAt: new Date(at.getTime() + retentionMs) };
}
