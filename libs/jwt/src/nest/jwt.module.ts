import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { RpcClient } from '@lib/messaging';
import { LOGGER, Logger } from '@lib/observability';
import { AccessTokenVerifier } from '../access-token-verifier';
import { JwtSettings } from '../authenticated-user';
import { CallerVerifier } from '../caller-verifier';
import { JwksCache } from '../jwks-cache';
import { JwksSource } from '../jwks-source';
import { RpcJwksSource } from '../rpc-jwks-source';
import { RpcRevocationSource } from '../rpc-revocation-source';
import { RevocationSource, TokenRevocations } from '../token-revocations';
import { JwtAuthGuard, RolesGuard } from './guards';
import { RevocationFeed } from './revocation-feed';
import { JwtStrategy } from './passport-jwt.strategy';

export interface JwtModuleOptions extends JwtSettings {
  /** Defaults to asking auth over RPC; auth itself passes its own key store. */
  jwksSource?: JwksSource;
  /** Defaults to asking auth over RPC; auth itself passes its own revocation store. */
  revocationSource?: RevocationSource;
  /** How often the full revocation list is re-read besides the pushes (30 s by default). */
  revocationResyncMs?: number;
  /** Verified tokens kept until their exp; 0 turns the cache off. */
  verifiedTokenCacheSize?: number;
  /**
   * HTTP authentication: the passport-jwt strategy and the guards (the gateway). Services verify
   * RPC callers with CallerVerifier and leave this off: passport keeps strategies in one
   * process-wide registry, so only the app that serves HTTP should register one.
   */
  http?: boolean;
}

/** Access-token verification for any app: JWKS cache, verifier, passport strategy and guards. */
@Global()
@Module({})
export class JwtModule {
  static forRoot(options: JwtModuleOptions): DynamicModule {
    const providers: Provider[] = [
      options.jwksSource
        ? { provide: JwksSource, useValue: options.jwksSource }
        : {
            provide: JwksSource,
            useFactory: (rpc: RpcClient) => new RpcJwksSource(rpc),
            inject: [RpcClient],
          },
      { provide: JwksCache, useFactory: (source: JwksSource) => new JwksCache(source), inject: [JwksSource] },
      options.revocationSource
        ? { provide: RevocationSource, useValue: options.revocationSource }
        : {
            provide: RevocationSource,
            useFactory: (rpc: RpcClient) => new RpcRevocationSource(rpc),
            inject: [RpcClient],
          },
      {
        provide: TokenRevocations,
        useFactory: (source: RevocationSource) =>
          new TokenRevocations(source, { resyncMs: options.revocationResyncMs }),
        inject: [RevocationSource],
      },
      RevocationFeed,
      {
        provide: AccessTokenVerifier,
        useFactory: (jwks: JwksCache, logger: Logger, revocations: TokenRevocations) =>
          new AccessTokenVerifier(
            jwks,
            { issuer: options.issuer, audience: options.audience },
            { cacheSize: options.verifiedTokenCacheSize },
            (reason) => logger.debug({ reason }, 'access token rejected'),
            revocations,
          ),
        inject: [JwksCache, LOGGER, TokenRevocations],
      },
      {
        provide: CallerVerifier,
        useFactory: (verifier: AccessTokenVerifier) => new CallerVerifier(verifier),
        inject: [AccessTokenVerifier],
      },
    ];
    const exports: DynamicModule['exports'] & unknown[] = [
      JwksSource,
      JwksCache,
      TokenRevocations,
      AccessTokenVerifier,
      CallerVerifier,
    ];
    if (options.http) {
      providers.push(JwtStrategy, JwtAuthGuard, RolesGuard);
      exports.push(JwtAuthGuard, RolesGuard);
    }
    return {
      module: JwtModule,
      imports: options.http ? [PassportModule] : [],
      providers,
      exports,
    };
  }
}
