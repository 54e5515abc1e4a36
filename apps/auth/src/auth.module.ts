import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { JwtModule } from '@lib/jwt';
import { PersistenceModule } from '@lib/persistence';
import { pingRpcController, platformModules } from '@lib/runtime';
import { AuthOptions } from './auth-options';
import { AuthRpcController } from './auth.rpc-controller';
import { AuthSettings } from './auth-settings';
import { CreateInviteHandler } from './groups/create-invite.handler';
import { GroupsRepository, InvitesRepository } from './groups/groups.repository';
import { KeyStore } from './keys/key-store';
import {
  GROUP_MODEL,
  INVITE_MODEL,
  MongoGroupsRepository,
  MongoInvitesRepository,
  groupSchema,
  inviteSchema,
} from './mongo/groups.mongo';
import {
  FAMILY_MODEL,
  LOGIN_MODEL,
  MongoSessionsRepository,
  TOKEN_MODEL,
  familySchema,
  loginSchema,
  tokenSchema,
} from './mongo/sessions.mongo';
import { MongoUsersRepository, USER_MODEL, userSchema } from './mongo/users.mongo';
import { Argon2PasswordHasher } from './passwords/argon2-password-hasher';
import { PasswordHasher } from './passwords/password-hasher';
import { LogInHandler } from './sessions/log-in.handler';
import { LoginLimits } from './sessions/login-limits';
import { RefreshSessionHandler } from './sessions/refresh-session.handler';
import { SessionsRepository } from './sessions/sessions.repository';
import { TokenIssuer } from './sessions/token-issuer';
import { EnsureAdminAccount } from './users/ensure-admin-account';
import { RegisterUserHandler } from './users/register-user.handler';
import { UsersRepository } from './users/users.repository';

const authCollections = () =>
  PersistenceModule.forFeature([
    { name: USER_MODEL, schema: userSchema },
    { name: GROUP_MODEL, schema: groupSchema },
    { name: INVITE_MODEL, schema: inviteSchema },
    { name: FAMILY_MODEL, schema: familySchema },
    { name: TOKEN_MODEL, schema: tokenSchema },
    { name: LOGIN_MODEL, schema: loginSchema },
  ]);

/** Identity: users, groups and invites, sessions (login, refresh, logout), signing keys and JWKS. */
@Module({})
export class AuthModule {
  /** `migrate`: auth's collections, indexes and migrations, and nothing that needs its secrets. */
  static migrations(config: PlatformConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [...platformModules(config, { mongo: true, outbox: true }), authCollections()],
    };
  }

  static register(config: PlatformConfig, settings: AuthSettings): DynamicModule {
    const keys = new KeyStore(settings.signingKeyPem, settings.previousKeyPems);
    return {
      module: AuthModule,
      imports: [
        ...platformModules(config, { mongo: true, redis: true, outbox: true }),
        JwtModule.forRoot({ ...config.jwt, jwksSource: keys }),
        authCollections(),
      ],
      controllers: [pingRpcController('auth', RPC.auth.ping), AuthRpcController],
      providers: [
        { provide: AuthOptions, useValue: new AuthOptions(settings, config.jwt) },
        { provide: KeyStore, useValue: keys },
        { provide: PasswordHasher, useClass: Argon2PasswordHasher },
        { provide: UsersRepository, useClass: MongoUsersRepository },
        { provide: GroupsRepository, useClass: MongoGroupsRepository },
        { provide: InvitesRepository, useClass: MongoInvitesRepository },
        { provide: SessionsRepository, useClass: MongoSessionsRepository },
        LoginLimits,
        TokenIssuer,
        RegisterUserHandler,
        LogInHandler,
        RefreshSessionHandler,
        CreateInviteHandler,
        EnsureAdminAccount,
      ],
    };
  }
}
