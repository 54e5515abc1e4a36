import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AuthOptions } from '../auth-options';
import { KeyStore } from '../keys/key-store';
import { User } from '../users/domain/user';
import { SessionsRepository } from './sessions.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Refresh tokens are 256 random bits; only their SHA-256 is stored. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class TokenIssuer {
  constructor(
    private readonly keys: KeyStore,
    private readonly sessions: SessionsRepository,
    private readonly options: AuthOptions,
  ) {}

  /** Inside a unit of work: a new family with its first refresh token. */
  async startFamily(userId: string, now: Date): Promise<string> {
    const familyId = randomUUID();
    await this.sessions.startFamily({
      familyId,
      userId,
      expiresAt: this.refreshExpiry(now),
      revokedAt: null,
    });
    return this.nextRefreshToken(familyId, userId, now);
  }

  /** Inside a unit of work: the next refresh token of a family. */
  async nextRefreshToken(familyId: string, userId: string, now: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.sessions.addToken({
      tokenHash: hashRefreshToken(token),
      familyId,
      userId,
      expiresAt: this.refreshExpiry(now),
      usedAt: null,
    });
    return token;
  }

  /** After commit: the access token that goes with a refresh token. Roles are read fresh each time. */
  async pair(user: User, refreshToken: string): Promise<TokenPair> {
    const ttlSeconds = this.options.settings.accessTokenTtlSeconds;
    const accessToken = await this.keys.sign(
      { userId: user.userId, groupId: user.groupId, roles: user.roles, tokenId: randomUUID() },
      { ...this.options.jwt, ttlSeconds },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: ttlSeconds };
  }

  private refreshExpiry(now: Date): Date {
    return new Date(now.getTime() + this.options.settings.refreshTokenTtlDays * 24 * 3600 * 1000);
  }
}
