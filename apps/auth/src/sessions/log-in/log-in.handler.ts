import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { canLogIn } from '../../users/domain/user';
import { PasswordHasher } from '../../users/ports/password-hasher';
import { UsersRepository } from '../../users/ports/users.repository';
import { INVALID_CREDENTIALS, invalidCredentials } from '../domain/sessions.errors';
import { SessionsRepository } from '../ports/sessions.repository';
import { LoginLimits } from '../services/login-limits';
import { TokenIssuer, TokenPair } from '../services/token-issuer';

/**
 * Login: a slot in the failure counts first (refused past the limits), then the password (a dummy verify for unknown users, so both failures cost
 * the same), then one transaction that records the login, starts a refresh family and adds the
 * `auth.user.logged-in` event to the outbox. A failed login writes and publishes nothing.
 */
@Injectable()
export class LogInHandler {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordHasher,
    private readonly limits: LoginLimits,
    private readonly tokens: TokenIssuer,
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(input: { username: string; password: string; ip?: string }): Promise<TokenPair> {
    const username = input.username.toLowerCase();
    const slot = await this.limits.reserve(username, input.ip);
    try {
      const result = await this.attempt(username, input);
      await this.limits.succeeded(slot);
      return result;
    } catch (err) {
      // A wrong password keeps its slot: that is the failure counted. Anything else gives it back.
      if (!(err instanceof DomainError && err.code === INVALID_CREDENTIALS))
        await this.limits.abandoned(slot).catch(() => undefined);
      throw err;
    }
  }

  private async attempt(username: string, input: { password: string; ip?: string }): Promise<TokenPair> {
    const user = await this.users.findByUsername(username);
    let valid = false;
    if (user) valid = await this.passwords.verify(user.passwordHash, input.password);
    else await this.passwords.dummyVerify(input.password);
    if (!user || !valid || !canLogIn(user)) throw invalidCredentials();

    const now = new Date();
    const rehash = this.passwords.needsRehash(user.passwordHash)
      ? await this.passwords.hash(input.password)
      : undefined;
    const session = await this.uow.run(async () => {
      const recorded = await this.users.recordLogin(user.userId, now);
      if (!recorded) throw invalidCredentials(); // disabled after the password check
      // The token describes the account as this transaction sees it, with an `iat` after any
      // revocation it sees: roles changed since the read above come with that revocation.
      const current = (await this.users.findById(user.userId)) ?? user;
      const { firstLogin } = recorded;
      const eventId = randomUUID();
      await this.sessions.recordLogin({
        loginId: eventId,
        userId: user.userId,
        groupId: user.groupId,
        firstLogin,
        ip: input.ip ?? null,
        at: now,
      });
      await this.outbox.add(EVENTS.userLoggedIn, {
        eventId,
        userId: user.userId,
        groupId: user.groupId,
        firstLogin,
        occurredAt: now.toISOString(),
        registeredAt: user.createdAt.toISOString(),
      });
      if (rehash) await this.users.updatePasswordHash(user.userId, rehash);
      return {
        user: current,
        issuedAt: await this.tokens.issuedAt(user.userId, now),
        refreshToken: await this.tokens.startFamily(user.userId, now),
      };
    });
    return this.tokens.pair(session.user, session.refreshToken, session.issuedAt);
  }
}
