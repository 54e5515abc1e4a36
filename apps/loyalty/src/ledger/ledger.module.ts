import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { LoyaltySettings, readLoyaltySettings } from '../loyalty.settings';
import { RpcGroupDirectory } from './adapters/rpc-group-directory';
import { RpcMemberDirectory } from './adapters/rpc-member-directory';
import { LedgerRpcController } from './ledger.rpc-controller';
import { LEDGER_MIGRATIONS, LEDGER_MODELS } from './mongo/ledger-collections';
import { MongoPointsLedgerRepository } from './mongo/mongo-points-ledger.repository';
import { MongoRequestLog } from './mongo/mongo-request-log.repository';
import { GroupDirectory } from './ports/group-directory';
import { MemberDirectory } from './ports/member-directory';
import { PointsLedgerRepository } from './ports/points-ledger.repository';
import { RequestLog } from './ports/request-log.repository';
import { HistoryQueries } from './queries/history.queries';
import { PointsByDayQueries } from './queries/points-by-day.queries';
import { PointsQueries } from './queries/points.queries';
import { MongoProgrammeSettings } from './mongo/mongo-programme-settings.repository';
import { Clock, SystemClock } from './ports/clock';
import { ProgrammeSettingsRepository } from './ports/programme-settings.repository';
import { ProgrammeQueries } from './queries/programme.queries';
import { PurchasesQueries } from './queries/purchases.queries';
import { RefundPurchaseHandler } from './refund-purchase/refund-purchase.handler';
import { ReverseRedemptionHandler } from './reverse-redemption/reverse-redemption.handler';
import { LateLots } from './services/late-lots';
import { LedgerCorrections } from './services/ledger-corrections';
import { ProgrammeChangeFeed } from './services/programme-change-feed';
import { ProgrammeSettings } from './services/programme-settings';
import { TierKeeper } from './services/tier-keeper';
import { PointsSweepScheduler } from './sweep-due-points/points-sweep.scheduler';
import { SweepDuePoints } from './sweep-due-points/sweep-due-points';
import { UpdatePointsPolicyHandler } from './update-programme/update-points-policy.handler';
import { UpdateTiersHandler } from './update-programme/update-tiers.handler';
import { RecordPayerTransactionHandler } from './record-payer-transaction/record-payer-transaction.handler';
import { RecordPurchaseHandler } from './record-purchase/record-purchase.handler';
import { RedeemPointsHandler } from './redeem-points/redeem-points.handler';
import { IdempotentCommands } from './services/idempotent-commands';
import { KnownGroups } from './services/known-groups';
import { LedgerWriter } from './services/ledger-writer';
import { MemberGroups } from './services/member-groups';

/**
 * The points ledger: purchases, refunds, redemptions and their reversals, payer transactions,
 * balances with pending and expiring points, tiers, the points policy, history, daily totals.
 */
@Module({})
export class LedgerModule {
  /** `migrate`: the ledger's collections, indexes and validators; reads no settings. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([...LEDGER_MODELS], [...LEDGER_MIGRATIONS]);
  }

  // `env` carries the service's own settings (process.env in production; tests pass theirs).
  static register(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: LedgerModule,
      imports: [LedgerModule.collections()],
      controllers: [LedgerRpcController],
      providers: [
        { provide: LoyaltySettings, useValue: readLoyaltySettings(env) },
        { provide: PointsLedgerRepository, useClass: MongoPointsLedgerRepository },
        { provide: RequestLog, useClass: MongoRequestLog },
        { provide: GroupDirectory, useClass: RpcGroupDirectory },
        { provide: MemberDirectory, useClass: RpcMemberDirectory },
        { provide: ProgrammeSettingsRepository, useClass: MongoProgrammeSettings },
        { provide: Clock, useClass: SystemClock },
        ProgrammeSettings,
        ProgrammeChangeFeed,
        TierKeeper,
        LateLots,
        LedgerCorrections,
        RefundPurchaseHandler,
        ReverseRedemptionHandler,
        UpdatePointsPolicyHandler,
        UpdateTiersHandler,
        ProgrammeQueries,
        SweepDuePoints,
        PointsSweepScheduler,
        IdempotentCommands,
        KnownGroups,
        MemberGroups,
        LedgerWriter,
        RecordPurchaseHandler,
        RedeemPointsHandler,
        RecordPayerTransactionHandler,
        PointsQueries,
        HistoryQueries,
        PurchasesQueries,
        PointsByDayQueries,
      ],
    };
  }
}
