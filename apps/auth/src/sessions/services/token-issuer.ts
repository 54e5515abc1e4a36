import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenPairDto } from '@lib/contracts';
import { AuthSettings } from '../../auth.settings';
import { AccessTokenSigner } from '../../keys/ports/access-token-signer';
import { PrincipalRevocations } from '../../revocations/ports/principal-revocations';
import type { User } from '../../users/domain/user';
import { hashRefreshToken } from '../domain/refresh-family';
import { SessionsRepository } from '../ports/sessions.repository';

export type TokenPair = TokenPairDto;

@Injectable()
export class TokenIssuer {
  constructor(
    private readonly signer: AccessTokenSigner,
    private readonly sessions: SessionsRepository,
    private readonly settings: AuthSettings,
    private readonly revocations: PrincipalRevocations,
  ) {}

  /**
   * Inside the unit of work that read the user the access token will describe: its `iat`, at or
   * after the user's last revocation. A token dated after a revocation must carry what came with
   * it (new roles), hence the same transaction.
   */
  issuedAt(userId: string, now: Date): Promise<number> {
    return this.revocations.issuedAt(userId, now);
  }

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

  /**
   * After commit: the access token that goes with a refresh token, for the user as the unit of
   * work read them (roles are read fresh each time), dated `issuedAt` (see above).
   */
  async pair(user: User, refreshToken: string, issuedAt: number): Promise<TokenPair> {
    const ttlSeconds = this.settings.accessTokenTtlSeconds;
    const accessToken = await this.signer.sign(
      { userId: user.userId, groupId: user.groupId, roles: user.roles, tokenId: randomUUID() },
      { ttlSeconds, issuedAt },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: ttlSeconds };
  }

  private refreshExpiry(now: Date): Date {
    return new Date(now.getTime() + this.settings.refreshTokenTtlDays * 24 * 3600 * 1000);
  }
}
