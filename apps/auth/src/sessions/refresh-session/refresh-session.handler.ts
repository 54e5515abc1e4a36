import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, Logger } from '@lib/observability';
import { UnitOfWork } from '@lib/persistence';
import { canLogIn, User } from '../../users/domain/user';
import { UsersRepository } from '../../users/ports/users.repository';
import { decideRefresh, hashRefreshToken } from '../domain/refresh-family';
import { refreshRefused } from '../domain/sessions.errors';
import { SessionsRepository } from '../ports/sessions.repository';
import { TokenIssuer, TokenPair } from '../services/token-issuer';

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

  async execute(refreshToken: string): Promise<TokenPair> {
    const tokenHash = hashRefreshToken(refreshToken);
    type Refreshed = { user: User; next: string; issuedAt: number };
    const outcome: Refreshed | ReuseDetected = await this.uow.run(async () => {
      const now = new Date();
      const token = await this.sessions.findToken(tokenHash);
      const family = token ? await this.sessions.findFamily(token.familyId) : null;
      const user = token ? await this.users.findById(token.userId) : null;
      const decision = decideRefresh({ token, family, userActive: !!user && canLogIn(user), now });
      if (decision.kind === 'reuse-detected') return new ReuseDetected(token!.familyId);
      if (decision.kind === 'reject') throw refreshRefused();
      // A concurrent refresh of the same token conflicts here; on retry it reads usedAt and is
      // treated as the reuse it is.
      if (!(await this.sessions.spendToken(tokenHash, now))) return new ReuseDetected(token!.familyId);
      return {
        user: user!,
        // Read with the user: the new access token is dated after any revocation of the roles it carries.
        issuedAt: await this.tokens.issuedAt(token!.userId, now),
        next: await this.tokens.nextRefreshToken(token!.familyId, token!.userId, now),
      };
    });
    if (outcome instanceof ReuseDetected) {
      await this.uow.run(() => this.sessions.revokeFamily(outcome.familyId, 'reuse-detected', new Date()));
      this.logger.warn({ familyId: outcome.familyId }, 'refresh token reuse: family revoked');
      throw refreshRefused();
    }
    return this.tokens.pair(outcome.user, outcome.next, outcome.issuedAt);
  }
}
