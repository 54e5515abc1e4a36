import { DynamicModule, Module } from '@nestjs/common';
import { PlatformConfig } from '@lib/config';
import { RPC } from '@lib/contracts';
import { JwtModule } from '@lib/jwt';
import { PersistenceModule } from '@lib/persistence';
import { pingRpcController, platformModules } from '@lib/runtime';
import { IdempotentCommands } from './ledger/idempotent-commands';
import { LedgerRpcController } from './ledger/ledger.rpc-controller';
import { PointsLedgerRepository } from './ledger/ledger.repository';
import { PointsQueries } from './ledger/points/points-queries';
import { RecordPurchaseHandler } from './ledger/purchases/record-purchase.handler';
import { RedeemPointsHandler } from './ledger/redemptions/redeem-points.handler';
import { RequestLog } from './ledger/request-log';
import { RecordPayerTransactionHandler } from './ledger/transactions/record-payer-transaction.handler';
import { readLoyaltySettings, LoyaltySettings } from './loyalty-settings';
import {
  ACCOUNT_MODEL,
  ENTRY_MODEL,
  LOT_MODEL,
  MongoPointsLedgerRepository,
  accountSchema,
  entrySchema,
  ledgerValidators,
  lotSchema,
} from './mongo/ledger.mongo';
import { MongoRequestLog, REQUEST_MODEL, requestSchema } from './mongo/request-log.mongo';

const ledgerCollections = () =>
  PersistenceModule.forFeature(
    [
      { name: ACCOUNT_MODEL, schema: accountSchema },
      { name: LOT_MODEL, schema: lotSchema },
      { name: ENTRY_MODEL, schema: entrySchema },
      { name: REQUEST_MODEL, schema: requestSchema },
    ],
    [ledgerValidators],
  );

/** The loyalty service: the points ledger (purchases, redemptions, payer transactions, history). */
@Module({})
export class LoyaltyModule {
  /** `migrate`: the ledger's collections, indexes and validators, and nothing else. */
  static migrations(config: PlatformConfig): DynamicModule {
    return {
      module: LoyaltyModule,
      imports: [...platformModules(config, { mongo: true, outbox: true }), ledgerCollections()],
    };
  }

  // `env` carries the service's own settings (read from process.env in production; tests pass theirs).
  static register(config: PlatformConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: LoyaltyModule,
      imports: [
        ...platformModules(config, { mongo: true, redis: true, outbox: true }),
        JwtModule.forRoot({ ...config.jwt }),
        ledgerCollections(),
      ],
      controllers: [pingRpcController('loyalty', RPC.loyalty.ping), LedgerRpcController],
      providers: [
        { provide: LoyaltySettings, useValue: readLoyaltySettings(env) },
        { provide: PointsLedgerRepository, useClass: MongoPointsLedgerRepository },
        { provide: RequestLog, useClass: MongoRequestLog },
        IdempotentCommands,
        RecordPurchaseHandler,
        RedeemPointsHandler,
        RecordPayerTransactionHandler,
        PointsQueries,
      ],
    };
  }
}
