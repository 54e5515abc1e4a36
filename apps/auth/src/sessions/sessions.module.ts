import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { AuthSettings } from '../auth.settings';
import { LogInHandler } from './log-in/log-in.handler';
import { LogOutHandler } from './log-out/log-out.handler';
import {
  FAMILY_MODEL,
  LOGIN_MODEL,
  MongoSessionsRepository,
  TOKEN_MODEL,
  familySchema,
  loginSchema,
  tokenSchema,
} from './mongo/sessions.mongo';
import { SessionsRepository } from './ports/sessions.repository';
import { RefreshSessionHandler } from './refresh-session/refresh-session.handler';
import { SessionsRpcController } from './sessions.rpc-controller';
import { LoginLimits } from './services/login-limits';
import { TokenIssuer } from './services/token-issuer';

/**
 * Login (with its failure limits), refresh-token families, refresh and logout, token issuing.
 * Uses the ports UsersModule and KeysModule export.
 */
@Module({})
export class SessionsModule {
  /** `migrate`: refresh families and tokens and the login history, with their TTL indexes; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([
      { name: FAMILY_MODEL, schema: familySchema },
      { name: TOKEN_MODEL, schema: tokenSchema },
      { name: LOGIN_MODEL, schema: loginSchema },
    ]);
  }

  /** Global: disabling an account (users) revokes its sessions in the same transaction. */
  static register(settings: AuthSettings): DynamicModule {
    return {
      module: SessionsModule,
      global: true,
      imports: [SessionsModule.collections()],
      controllers: [SessionsRpcController],
      providers: [
        { provide: AuthSettings, useValue: settings },
        { provide: SessionsRepository, useClass: MongoSessionsRepository },
        LoginLimits,
        TokenIssuer,
        LogInHandler,
        RefreshSessionHandler,
        LogOutHandler,
      ],
      exports: [SessionsRepository],
    };
  }
}
