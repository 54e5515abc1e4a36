import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigError } from '@lib/config';
import { DomainError } from '@lib/errors';
import { LOGGER, Logger } from '@lib/observability';
import { AuthSettings } from '../../auth.settings';
import { UsersRepository } from '../ports/users.repository';
import { RegisterUserHandler } from '../register-user/register-user.handler';

/**
 * On start, makes sure the account named by ADMIN_USERNAME exists: it creates it when missing and
 * leaves an existing admin alone (its password is never reset: the variable seeds the first one).
 * A name that belongs to a non-admin stops the start, because promoting it would hand the admin
 * role to whoever holds that account, with their own password. Safe when several replicas start
 * at once (the unique username decides, and the loser checks the winner like any existing one).
 */
@Injectable()
export class EnsureAdminAccount implements OnApplicationBootstrap {
  constructor(
    private readonly settings: AuthSettings,
    private readonly users: UsersRepository,
    private readonly register: RegisterUserHandler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.settings.admin;
    if (!admin) {
      this.logger.warn('ADMIN_USERNAME/ADMIN_PASSWORD are not set: no admin account is bootstrapped');
      return;
    }
    const username = admin.username.toLowerCase();
    if (await this.checkExisting(username)) return;
    try {
      // Not a sign-up: no `auth.user.registered` for the operator's own account.
      await this.register.create({
        username,
        password: admin.password,
        email: admin.email,
        roles: ['member', 'admin'],
      });
      this.logger.info({ username }, 'admin account created');
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'USERNAME_TAKEN')) throw err;
      await this.checkExisting(username); // another replica (or a sign-up) took the name first
    }
  }

  /** True when the account exists and is an admin; throws when it exists without the role. */
  private async checkExisting(username: string): Promise<boolean> {
    const existing = await this.users.findByUsername(username);
    if (!existing) return false;
    if (!existing.roles.includes('admin')) throw adminNameTaken(username);
    // A disabled bootstrap admin stays disabled: someone chose that, a restart must not undo it.
    if (existing.status !== 'ACTIVE')
      this.logger.warn({ username }, 'the bootstrap admin account is disabled');
    return true;
  }
}

function adminNameTaken(username: string): ConfigError {
  return new ConfigError(
    `auth: ADMIN_USERNAME=${username} belongs to an existing account that is not an admin, and the ` +
      'bootstrap will not promote it (whoever holds it would become admin with their own password). ' +
      'Choose another ADMIN_USERNAME, or, if that account really is yours, give it the admin role ' +
      'deliberately (PATCH /v1/admin/users/{userId} with roles ["member","admin"] as an admin) and restart.',
  );
}
