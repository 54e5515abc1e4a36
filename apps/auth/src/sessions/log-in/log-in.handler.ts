import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { canLogIn } from '../../users/domain/user';
import { PasswordHasher } from '../../users/ports/password-hasher';
import { UsersRepository } from '../../users/ports/users.repository';
import { invalidCredentials } from '../domain/sessions.errors';
import { SessionsRepository } from '../ports/sessions.repository';
import { LoginLimits } from '../services/login-limits';
import { TokenIssuer, TokenPair } from '../services/token-issuer';

/**
 * Login: limits first, then the password (a dummy verify for unknown users, so both failures cost
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
    await this.limits.assertAllowed(username, input.ip);
    const user = await this.users.findByUsername(username);
    let valid = false;
    if (user) valid = await this.passwords.verify(user.passwordHash, input.password);
    else await this.passwords.dummyVerify(input.password);
    if (!user || !valid || !canLogIn(user)) {
      await this.limits.recordFailure(username, input.ip);
      throw invalidCredentials();
    }

    const now = new Date();
    const rehash = this.passwords.needsRehash(user.passwordHash)
      ? await this.passwords.hash(input.password)
      : undefined;
    const refreshToken = await this.uow.run(async () => {
      const recorded = await this.users.recordLogin(user.userId, now);
      if (!recorded) throw invalidCredentials(); // disabled after the password check
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
      });
      if (rehash) await this.users.updatePasswordHash(user.userId, rehash);
      return this.tokens.startFamily(user.userId, now);
    });
    await this.limits.clearAccount(username);
    return this.tokens.pair(user, refreshToken);
  }
}
