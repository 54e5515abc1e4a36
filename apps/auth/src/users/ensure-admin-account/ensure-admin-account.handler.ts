import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DomainError } from '@lib/errors';
import { LOGGER, Logger } from '@lib/observability';
import { UnitOfWork } from '@lib/persistence';
import { AuthSettings } from '../../auth.settings';
import { UsersRepository } from '../ports/users.repository';
import { RegisterUserHandler } from '../register-user/register-user.handler';

/**
 * On start, makes sure the account named by ADMIN_USERNAME exists and has the admin role. An
 * existing account keeps its password: the variable seeds the first one, it does not reset it.
 * Safe when several replicas start at once (the unique username decides).
 */
@Injectable()
export class EnsureAdminAccount implements OnApplicationBootstrap {
  constructor(
    private readonly settings: AuthSettings,
    private readonly users: UsersRepository,
    private readonly register: RegisterUserHandler,
    private readonly uow: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.settings.admin;
    if (!admin) {
      this.logger.warn('ADMIN_USERNAME/ADMIN_PASSWORD are not set: no admin account is bootstrapped');
      return;
    }
    const username = admin.username.toLowerCase();
    const existing = await this.users.findByUsername(username);
    if (existing) {
      if (!existing.roles.includes('admin')) {
        await this.uow.run(() => this.users.addRole(existing.userId, 'admin'));
        this.logger.info({ username }, 'bootstrap account given the admin role back');
      }
      // A disabled bootstrap admin stays disabled: someone chose that, a restart must not undo it.
      if (existing.status !== 'ACTIVE')
        this.logger.warn({ username }, 'the bootstrap admin account is disabled');
      return;
    }
    try {
      await this.register.execute({
        username,
        password: admin.password,
        email: admin.email,
        roles: ['member', 'admin'],
      });
      this.logger.info({ username }, 'admin account created');
    } catch (err) {
      if (err instanceof DomainError && err.code === 'USERNAME_TAKEN') return; // another replica won
      throw err;
    }
  }
}
