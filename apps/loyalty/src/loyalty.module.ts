import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { pingRpcController, platformModules } from '@lib/runtime';

/** The loyalty service. Its use cases arrive with their own issues; for now: health, metrics, ping. */
@Module({})
export class LoyaltyModule {
  // `env` carries the service's own settings (read from process.env in production; tests pass theirs).
  static register(config: PlatformConfig, _env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: LoyaltyModule,
      imports: platformModules(config, { mongo: true, redis: true, outbox: true }),
      controllers: [pingRpcController('loyalty', RPC.loyalty.ping)],
    };
  }
}
