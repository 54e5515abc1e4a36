import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { JwtModule } from '@lib/jwt';
import { PersistenceModule } from '@lib/persistence';
import { pingRpcController, platformModules } from '@lib/runtime';
import { LOGGER, Logger } from '@lib/observability';
import { AdminRpcController } from './admin.rpc-controller';
import { AppendAuditEntryConsumer } from './audit/append-audit-entry.consumer';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuditTrail } from './audit/audit-trail';
import { ListAuditLogHandler } from './audit/list-audit-log.handler';
import { VerifyAuditChainHandler } from './audit/verify-audit-chain.handler';
import { AuthOptions } from './auth-options';
import { AuthRpcController } from './auth.rpc-controller';
import { AuthSettings } from './auth-settings';
import { CreateInviteHandler } from './groups/create-invite.handler';
import { GroupsRepository, InvitesRepository } from './groups/groups.repository';
import { KeyStore } from './keys/key-store';
import {
  AUDIT_HEAD_MODEL,
  AUDIT_MODEL,
  MongoAuditLogRepository,
  auditHeadSchema,
  auditSchema,
} from './mongo/audit.mongo';
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
import {
  MAIL_DELIVERY_MODEL,
  MongoMailDeliveriesRepository,
  mailDeliverySchema,
} from './mongo/mail-deliveries.mongo';
import { MongoUsersRepository, USER_MODEL, userSchema } from './mongo/users.mongo';
import { MailDeliveriesRepository } from './notifications/mail-deliveries.repository';
import { Mailer } from './notifications/mailer';
import { NodemailerMailer } from './notifications/nodemailer-mailer';
import { SendNotificationsConsumer } from './notifications/send-notifications.consumer';
import { Argon2PasswordHasher } from './passwords/argon2-password-hasher';
import { PasswordHasher } from './passwords/password-hasher';
import { LogInHandler } from './sessions/log-in.handler';
import { LoginLimits } from './sessions/login-limits';
import { RefreshSessionHandler } from './sessions/refresh-session.handler';
import { SessionsRepository } from './sessions/sessions.repository';
import { TokenIssuer } from './sessions/token-issuer';
import { EnrollUserHandler } from './users/enroll-user.handler';
import { EnsureAdminAccount } from './users/ensure-admin-account';
import { ListUsersHandler } from './users/list-users.handler';
import { MemberStatsHandler } from './users/member-stats.handler';
import { RegisterUserHandler } from './users/register-user.handler';
import { UpdateUserHandler } from './users/update-user.handler';
import { UsersRepository } from './users/users.repository';

const authCollections = () =>
  PersistenceModule.forFeature([
    { name: USER_MODEL, schema: userSchema },
    { name: GROUP_MODEL, schema: groupSchema },
    { name: INVITE_MODEL, schema: inviteSchema },
    { name: FAMILY_MODEL, schema: familySchema },
    { name: TOKEN_MODEL, schema: tokenSchema },
    { name: LOGIN_MODEL, schema: loginSchema },
    { name: AUDIT_MODEL, schema: auditSchema },
    { name: AUDIT_HEAD_MODEL, schema: auditHeadSchema },
    { name: MAIL_DELIVERY_MODEL, schema: mailDeliverySchema },
  ]);

/**
 * Identity: users, groups and invites, sessions (login, refresh, logout), signing keys and JWKS.
 * Administration: user search, enrollment and edits, the hash-chained audit log every service
 * feeds, member stats, and the platform's mail (auth owns the contact data it needs).
 */
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
      controllers: [pingRpcController('auth', RPC.auth.ping), AuthRpcController, AdminRpcController],
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
        { provide: AuditLogRepository, useClass: MongoAuditLogRepository },
        AuditTrail,
        AppendAuditEntryConsumer,
        ListAuditLogHandler,
        VerifyAuditChainHandler,
        EnrollUserHandler,
        UpdateUserHandler,
        ListUsersHandler,
        MemberStatsHandler,
        { provide: MailDeliveriesRepository, useClass: MongoMailDeliveriesRepository },
        {
          provide: Mailer,
          useFactory: (logger: Logger) =>
            new NodemailerMailer(settings.mail.smtpUrl, settings.mail.from, logger),
          inject: [LOGGER],
        },
        SendNotificationsConsumer,
      ],
    };
  }
}
