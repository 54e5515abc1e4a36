import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { JwtModule } from '@lib/jwt';
import { pingRpcController, platformModules } from '@lib/runtime';
import { ApiClientsModule } from './api-clients/api-clients.module';
import { AuditModule } from './audit/audit.module';
import { AuthSettings } from './auth.settings';
import { GroupsModule } from './groups/groups.module';
import { KeyStore } from './keys/adapters/key-store';
import { KeysModule } from './keys/keys.module';
import { NotificationsModule } from './notifications/notifications.module';
import { StoreRevocationSource } from './revocations/adapters/store-revocation-source';
import { RevocationsModule } from './revocations/revocations.module';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';

/**
 * Identity: users, groups and invites, sessions (login, refresh, logout), signing keys and JWKS,
 * API clients and their client-credentials tokens, and the revocation of access tokens.
 * Administration: user search, enrollment and edits, the hash-chained audit log every service
 * feeds, member stats, and the platform's mail (auth owns the contact data it needs).
 */
@Module({})
export class AuthModule {
  /** `migrate`: auth's collections, indexes and migrations, and nothing that needs its secrets. */
  static migrations(config: PlatformConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        ...platformModules(config, { mongo: true, outbox: true }),
        UsersModule.collections(),
        GroupsModule.collections(),
        SessionsModule.collections(),
        AuditModule.collections(),
        NotificationsModule.collections(),
        ApiClientsModule.collections(),
        RevocationsModule.collections(),
      ],
    };
  }

  /**
   * Each area module is imported once, here. Nest tells dynamic modules apart by reference, so an
   * area importing another's register() would build a second copy of it (controllers and consumers
   * included); instead the areas whose ports others use are global and export just those ports.
   * `settings`: readAuthSettings() of process.env in production; tests pass their own.
   */
  static register(config: PlatformConfig, settings: AuthSettings): DynamicModule {
    // One key store: it signs the tokens, publishes the JWKS, and is what auth itself verifies
    // callers' tokens with, as the issuer and audience PlatformConfig names.
    const keys = new KeyStore(settings.signingKeyPem, settings.previousKeyPems, config.jwt);
    // Likewise the revocations it refuses tokens by: its own store, not an RPC to itself.
    const revocations = new StoreRevocationSource();
    return {
      module: AuthModule,
      imports: [
        ...platformModules(config, { mongo: true, redis: true, outbox: true }),
        JwtModule.forRoot({ ...config.jwt, jwksSource: keys, revocationSource: revocations }),
        KeysModule.register(keys),
        RevocationsModule.register(settings, revocations),
        GroupsModule.register(settings),
        AuditModule.register(),
        UsersModule.register(settings),
        SessionsModule.register(settings),
        NotificationsModule.register(settings),
        ApiClientsModule.register(settings),
      ],
      controllers: [pingRpcController('auth', RPC.auth.ping)],
    };
  }
}
