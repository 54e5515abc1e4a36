import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@lib/errors';
import { LOGGER, Logger } from '@lib/observability';
import { UnitOfWork } from '@lib/persistence';
import { canLogIn, User } from '../users/domain/user';
import { UsersRepository } from '../users/users.repository';
import { decideRefresh } from './domain/refresh-family';
import { SessionsRepository } from './sessions.repository';
import { TokenIssuer, TokenPair, hashRefreshToken } from './token-issuer';

const refused = () => new DomainError('UNAUTHENTICATED', 'the refresh token is invalid, expired or revoked');

class ReuseDetected {
  constructor(readonly familyId: string) {}
}

/** Refresh rotates the token; presenting a spent one revokes its whole family (RFC 6819 §5.2.2.3). */
@Injectable()
export class RefreshSessionHandler {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenIssuer,
    private readonly uow: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async refresh(refreshToken: string): Promise<TokenPair> {
    const tokenHash = hashRefreshToken(refreshToken);
    const outcome: { user: User; next: string } | ReuseDetected = await this.uow.run(async () => {
      const now = new Date();
      const token = await this.sessions.findToken(tokenHash);
      const family = token ? await this.sessions.findFamily(token.familyId) : null;
      const user = token ? await this.users.findById(token.userId) : null;
      const decision = decideRefresh({ token, family, userActive: !!user && canLogIn(user), now });
      if (decision.kind === 'reuse-detected') return new ReuseDetected(token!.familyId);
      if (decision.kind === 'reject') throw refused();
      // A concurrent refresh of the same token conflicts here; on retry it reads usedAt and is
      // treated as the reuse it is.
      if (!(await this.sessions.spendToken(tokenHash, now))) return new ReuseDetected(token!.familyId);
      return { user: user!, next: await this.tokens.nextRefreshToken(token!.familyId, token!.userId, now) };
    });
    if (outcome instanceof ReuseDetected) {
      await this.uow.run(() => this.sessions.revokeFamily(outcome.familyId, 'reuse-detected', new Date()));
      this.logger.warn({ familyId: outcome.familyId }, 'refresh token reuse: family revoked');
      throw refused();
    }
    return this.tokens.pair(outcome.user, outcome.next);
  }

  /** Logout ends the session the token belongs to; unknown tokens are ignored (still 204). */
  async logout(refreshToken: string): Promise<void> {
    const token = await this.sessions.findToken(hashRefreshToken(refreshToken));
    if (token) await this.uow.run(() => this.sessions.revokeFamily(token.familyId, 'logout', new Date()));
  }
}
