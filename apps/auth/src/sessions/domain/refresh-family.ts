import { createHash } from 'node:crypto';

/**
 * Refresh-token families. Login starts a family; every refresh spends the presented token and
 * issues the next one in the same family. A token presented a second time means two parties hold
 * it (one of them stole it): the whole family is revoked, so neither can continue.
 */
export interface RefreshTokenState {
  familyId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface RefreshFamilyState {
  familyId: string;
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

export type RefreshDecision =
  | { kind: 'rotate' }
  | { kind: 'reuse-detected' }
  | { kind: 'reject'; reason: 'unknown' | 'expired' | 'revoked' | 'account-disabled' };

export function decideRefresh(input: {
  token: RefreshTokenState | null;
  family: RefreshFamilyState | null;
  userActive: boolean;
  now: Date;
}): RefreshDecision {
  const { token, family, userActive, now } = input;
  if (!token || !family) return { kind: 'reject', reason: 'unknown' };
  if (family.revokedAt) return { kind: 'reject', reason: 'revoked' };
  if (token.usedAt) return { kind: 'reuse-detected' };
  if (token.expiresAt <= now || family.expiresAt <= now) return { kind: 'reject', reason: 'expired' };
  if (!userActive) return { kind: 'reject', reason: 'account-disabled' };
  return { kind: 'rotate' };
}

/** Refresh tokens are 256 random bits; only their SHA-256 is stored. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
