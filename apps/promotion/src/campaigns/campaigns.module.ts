import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { CampaignsRpcController } from './campaigns.rpc-controller';
import { CampaignSettings, readCampaignSettings } from './campaigns.settings';
import { ChangeCampaignStatusHandler } from './change-campaign-status/change-campaign-status.handler';
import { CreateCampaignHandler } from './create-campaign/create-campaign.handler';
import { IssueVouchersConsumer } from './issue-vouchers/issue-vouchers.consumer';
import { IssueVouchersHandler } from './issue-vouchers/issue-vouchers.handler';
import {
  CAMPAIGN_MODEL,
  CAMPAIGN_SLOT_MODEL,
  MongoCampaignsRepository,
  campaignMigrations,
  campaignSchema,
  campaignSlotSchema,
} from './mongo/campaigns.mongo';
import { MongoVouchersRepository, VOUCHER_MODEL, voucherSchema } from './mongo/vouchers.mongo';
import { CampaignsRepository } from './ports/campaigns.repository';
import { VouchersRepository } from './ports/vouchers.repository';
import { CampaignsQueries } from './queries/campaigns.queries';
import { VouchersQueries } from './queries/vouchers.queries';
import { RedeemVoucherHandler } from './redeem-voucher/redeem-voucher.handler';
import { RpcActiveMembers } from './adapters/rpc-active-members';
import { ActiveMembers } from './ports/active-members';

/** Campaigns and vouchers: the first N first-time logins get a voucher, redeemed once per order. */
@Module({})
export class CampaignsModule {
  /** `migrate`: campaigns, their active slots and vouchers, with indexes and migrations; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature(
      [
        { name: CAMPAIGN_MODEL, schema: campaignSchema },
        { name: CAMPAIGN_SLOT_MODEL, schema: campaignSlotSchema },
        { name: VOUCHER_MODEL, schema: voucherSchema },
      ],
      campaignMigrations,
    );
  }

  static register(env: NodeJS.ProcessEnv): DynamicModule {
    return {
      module: CampaignsModule,
      imports: [CampaignsModule.collections()],
      controllers: [CampaignsRpcController],
      providers: [
        { provide: CampaignSettings, useValue: readCampaignSettings(env) },
        { provide: CampaignsRepository, useClass: MongoCampaignsRepository },
        { provide: VouchersRepository, useClass: MongoVouchersRepository },
        CampaignsQueries,
        VouchersQueries,
        CreateCampaignHandler,
        ChangeCampaignStatusHandler,
        RedeemVoucherHandler,
        { provide: ActiveMembers, useClass: RpcActiveMembers },
        IssueVouchersHandler,
        IssueVouchersConsumer,
      ],
    };
  }
}
