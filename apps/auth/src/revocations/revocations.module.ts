import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { AuthSettings } from '../auth.settings';
import { OutboxPrincipalRevocations } from './adapters/outbox-principal-revocations';
import { StoreRevocationSource } from './adapters/store-revocation-source';
import { ListTokenRevocationsHandler } from './list-token-revocations/list-token-revocations.handler';
import {
  MongoTokenRevocationsRepository,
  TOKEN_REVOCATION_MODEL,
  tokenRevocationSchema,
} from './mongo/token-revocations.mongo';
import { PrincipalRevocations } from './ports/principal-revocations';
import { TokenRevocationsRepository } from './ports/token-revocations.repository';
import { RevocationsRpcController } from './revocations.rpc-controller';

/**
 * Access-token revocation: per-principal valid-after times, stored and announced when an admin
 * disables a user, changes their roles or revokes an API client; the list every verifier reads.
 */
@Module({})
export class RevocationsModule {
  /** `migrate`: the revocations, with their TTL index; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([{ name: TOKEN_REVOCATION_MODEL, schema: tokenRevocationSchema }]);
  }

  /**
   * Global: users and API clients revoke, and sessions and API clients issue tokens, through
   * PrincipalRevocations. `source`: the one auth's JwtModule verifies with (see AuthModule).
   */
  static register(settings: AuthSettings, source: StoreRevocationSource): DynamicModule {
    return {
      module: RevocationsModule,
      global: true,
      imports: [RevocationsModule.collections()],
      controllers: [RevocationsRpcController],
      providers: [
        { provide: AuthSettings, useValue: settings },
        { provide: TokenRevocationsRepository, useClass: MongoTokenRevocationsRepository },
        { provide: PrincipalRevocations, useClass: OutboxPrincipalRevocations },
        {
          provide: StoreRevocationSource,
          useFactory: (store: TokenRevocationsRepository) => source.attach(store),
          inject: [TokenRevocationsRepository],
        },
        ListTokenRevocationsHandler,
      ],
      exports: [PrincipalRevocations],
    };
  }
}
