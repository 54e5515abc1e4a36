import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { JwtModule } from '@lib/jwt';
import { pingRpcController, platformModules } from '@lib/runtime';
import { LedgerModule } from './ledger/ledger.module';

/** The loyalty service: the points ledger (purchases, redemptions, payer transactions, history). */
@Module({})
export class LoyaltyModule {
  /** `migrate`: the ledger's collections, indexes and validators, and nothing else. */
  static migrations(config: PlatformConfig): DynamicModule {
    return {
      module: LoyaltyModule,
      imports: [...platformModules(config, { mongo: true, outbox: true }), LedgerModule.collections()],
    };
  }

  // `env` carries the service's own settings (read from process.env in production; tests pass theirs).
  static register(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: LoyaltyModule,
      imports: [
        ...platformModules(config, { mongo: true, redis: true, outbox: true }),
        JwtModule.forRoot({ ...config.jwt }),
        LedgerModule.register(env),
      ],
      controllers: [pingRpcController('loyalty', RPC.loyalty.ping)],
    };
  }
}
