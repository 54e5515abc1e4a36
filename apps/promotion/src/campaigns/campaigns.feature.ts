import {
  AmqpConnection,
  BatchEventConsumer,
  BatchProcessedEvents,
  processedEventModel,
  Topology,
} from '@lib/messaging';
import { LOGGER, Logger } from '@lib/observability';
import { MONGO_CONNECTION, PersistenceModule, UnitOfWork } from '@lib/persistence';
import type { PromotionFeatureFactory } from '../promotion-feature';
import { CAMPAIGN_SETTINGS, readCampaignSettings } from './campaign-settings';
import { CampaignsRpcController } from './campaigns.rpc-controller';
import { CampaignsRepository } from './campaigns.repository';
import { ChangeCampaignStatusHandler } from './change-campaign-status/change-campaign-status.handler';
import { CreateCampaignHandler } from './create-campaign/create-campaign.handler';
import { FirstLoginConsumer } from './issue-vouchers/first-login-consumer';
import { IssueFirstLoginVouchersHandler } from './issue-vouchers/issue-first-login-vouchers.handler';
import {
  CAMPAIGN_MODEL,
  CAMPAIGN_SLOT_MODEL,
  MongoCampaignsRepository,
  campaignMigrations,
  campaignSchema,
  campaignSlotSchema,
} from './mongo/campaigns.mongo';
import { MongoVouchersRepository, VOUCHER_MODEL, voucherSchema } from './mongo/vouchers.mongo';
import { RedeemVoucherHandler } from './redeem-voucher/redeem-voucher.handler';
import { VouchersRepository } from './vouchers.repository';

type MongoConnection = Parameters<typeof processedEventModel>[0];

/** Campaigns and vouchers (first N first-time logins get a voucher). */
export const campaignsFeature: PromotionFeatureFactory = (_config, env) => ({
  collections: [
    PersistenceModule.forFeature(
      [
        { name: CAMPAIGN_MODEL, schema: campaignSchema },
        { name: CAMPAIGN_SLOT_MODEL, schema: campaignSlotSchema },
        { name: VOUCHER_MODEL, schema: voucherSchema },
      ],
      campaignMigrations,
    ),
  ],
  controllers: [CampaignsRpcController],
  providers: [
    { provide: CAMPAIGN_SETTINGS, useFactory: () => readCampaignSettings(env) },
    { provide: CampaignsRepository, useClass: MongoCampaignsRepository },
    { provide: VouchersRepository, useClass: MongoVouchersRepository },
    {
      provide: BatchEventConsumer,
      useFactory: (
        amqp: AmqpConnection,
        topology: Topology,
        uow: UnitOfWork,
        c: MongoConnection,
        logger: Logger,
      ) =>
        new BatchEventConsumer(amqp, topology, uow, new BatchProcessedEvents(processedEventModel(c)), logger),
      inject: [AmqpConnection, Topology, UnitOfWork, MONGO_CONNECTION, LOGGER],
    },
    CreateCampaignHandler,
    ChangeCampaignStatusHandler,
    RedeemVoucherHandler,
    IssueFirstLoginVouchersHandler,
    FirstLoginConsumer,
  ],
});
