import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { pingRpcController, platformModules } from '@lib/runtime';

/** The auth service. Its use cases arrive with their own issues; for now: health, metrics, ping. */
@Module({})
export class AuthModule {
  static register(config: PlatformConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: platformModules(config, { mongo: true, redis: true, outbox: true }),
      controllers: [pingRpcController('auth', RPC.auth.ping)],
    };
  }
}
