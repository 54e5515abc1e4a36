import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { JwtModule } from '@lib/jwt';
import { platformModules } from '@lib/runtime';
import { adminControllers } from './admin/admin.routes';
import { couponsControllers } from './coupons/coupons.routes';
import { RateLimitSettings, readRateLimitSettings } from './http/rate-limits';
import { ServiceClient } from './http/service-client';
import { pointsControllers } from './points/points.routes';
import { vouchersControllers } from './vouchers/vouchers.routes';
import { AuthController } from './identity/auth.controller';
import { JwksController } from './identity/jwks.controller';
import { MeController } from './identity/me.controller';
import { OAuthTokenController } from './identity/oauth-token.controller';
import { readSessionCookieSettings, SessionCookieSettings } from './identity/session-cookie';

/**
 * The public HTTP API. HTTP only: it validates, authenticates (locally, with the JWKS from auth)
 * and forwards to the services over RPC; no business rule lives here.
 */
@Module({})
export class GatewayModule {
  /** `env` holds the gateway's own settings (rate limits); process.env by default. */
  static register(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ...platformModules(config, { redis: true }),
        JwtModule.forRoot({ ...config.jwt, http: true }),
      ],
      controllers: [
        AuthController,
        OAuthTokenController,
        MeController,
        JwksController,
        ...pointsControllers,
        ...vouchersControllers,
        ...couponsControllers,
        ...adminControllers,
      ],
      providers: [
        ServiceClient,
        { provide: RateLimitSettings, useValue: readRateLimitSettings(env) },
        { provide: SessionCookieSettings, useValue: readSessionCookieSettings(env) },
      ],
    };
  }
}
