import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { AuthSettings } from '../auth.settings';
import { Argon2PasswordHasher } from './adapters/argon2-password-hasher';
import { EnrollUserHandler } from './enroll-user/enroll-user.handler';
import { EnsureAdminAccount } from './ensure-admin-account/ensure-admin-account.handler';
import { ListUsersHandler } from './list-users/list-users.handler';
import { MongoUsersRepository, USER_MODEL, userSchema } from './mongo/users.mongo';
import { PasswordHasher } from './ports/password-hasher';
import { UsersRepository } from './ports/users.repository';
import { UsersQueries } from './queries/users.queries';
import { RegisterUserHandler } from './register-user/register-user.handler';
import { RegistrationLimit } from './services/registration-limit';
import { UpdateUserHandler } from './update-user/update-user.handler';
import { UsersRpcController } from './users.rpc-controller';

/**
 * Accounts: registration (seating the user in a group), the caller's profile, and the admin
 * search, enrollment and edits. Uses the ports GroupsModule, AuditModule and SessionsModule export.
 */
@Module({})
export class UsersModule {
  /** `migrate`: the users collection and its unique indexes; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([{ name: USER_MODEL, schema: userSchema }]);
  }

  /** Global: logins (sessions) and mails (notifications) use its account store and hasher. */
  static register(settings: AuthSettings): DynamicModule {
    return {
      module: UsersModule,
      global: true,
      imports: [UsersModule.collections()],
      controllers: [UsersRpcController],
      providers: [
        { provide: AuthSettings, useValue: settings },
        { provide: UsersRepository, useClass: MongoUsersRepository },
        { provide: PasswordHasher, useClass: Argon2PasswordHasher },
        RegisterUserHandler,
        RegistrationLimit,
        EnrollUserHandler,
        UpdateUserHandler,
        ListUsersHandler,
        UsersQueries,
        EnsureAdminAccount,
      ],
      exports: [UsersRepository, PasswordHasher],
    };
  }
}
