import { RefreshFamilyState, RefreshTokenState } from '../domain/refresh-family';

export interface StoredRefreshToken extends RefreshTokenState {
  tokenHash: string;
}

export interface LoginRecord {
  loginId: string;
  userId: string;
  groupId: string;
  firstLogin: boolean;
  ip: string | null;
  at: Date;
}

/** Refresh-token families and tokens (stored by hash only), and the login history. */
export abstract class SessionsRepository {
  abstract startFamily(family: RefreshFamilyState): Promise<void>;
  abstract findFamily(familyId: string): Promise<RefreshFamilyState | null>;
  abstract addToken(token: StoredRefreshToken): Promise<void>;
  abstract findToken(tokenHash: string): Promise<StoredRefreshToken | null>;
  /** Spends an unused token; false if it was already spent (reuse, or a concurrent refresh). */
  abstract spendToken(tokenHash: string, now: Date): Promise<boolean>;
  abstract revokeFamily(familyId: string, reason: string, now: Date): Promise<void>;
  abstract revokeAllForUser(userId: string, reason: string, now: Date): Promise<number>;
  /**
   * Writes to each live family of the user, in the caller's unit of work, without revoking it: a
   * refresh in flight (which also writes its family) then conflicts with the caller's change (new
   * roles) and is retried after it, reading it.
   */
  abstract fenceAllForUser(userId: string): Promise<void>;
  abstract recordLogin(login: LoginRecord): Promise<void>;
}
