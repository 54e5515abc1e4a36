import { Injectable } from '@nestjs/common';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Page } from '@lib/contracts';
import { NEWEST_FIRST, PageRequest, readPage } from '@lib/paging';
import { InjectModel, Migration, TransactionScope } from '@lib/persistence';
import { Campaign, CampaignStatus, CampaignTrigger } from '../domain/campaign';
import { CampaignsRepository } from '../ports/campaigns.repository';

type CampaignDoc = Omit<Campaign, 'campaignId'> & { _id: string };
interface SlotDoc {
  _id: string;
  version: number;
}

export const CAMPAIGN_MODEL = 'Campaign';
export const CAMPAIGN_SLOT_MODEL = 'CampaignSlot';

export const campaignSchema = new Schema<CampaignDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: null },
    trigger: { type: String, required: true, enum: ['FIRST_LOGIN'] },
    status: { type: String, required: true, enum: ['ACTIVE', 'PAUSED', 'ENDED'] },
    discountPercent: { type: Number, required: true },
    voucherLimit: { type: Number, required: true },
    voucherValidDays: { type: Number, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, default: null },
    registeredBefore: { type: Date, default: null },
    issued: { type: Number, required: true },
    remaining: { type: Number, required: true, min: 0 },
    redeemed: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'campaigns', versionKey: false },
);
campaignSchema.index({ createdAt: -1, _id: -1 });
campaignSchema.index({ status: 1, trigger: 1 });

/** One record per trigger, written by every write that makes a campaign of it ACTIVE. */
export const campaignSlotSchema = new Schema<SlotDoc>(
  { _id: { type: String, required: true }, version: { type: Number, required: true } },
  { collection: 'campaign_active_slots', versionKey: false },
);

/**
 * The slot records exist before the first create: two concurrent first-ever creates would
 * otherwise both insert it, and a duplicate key (unlike a write conflict) is not retried.
 */
export const campaignMigrations: Migration[] = [
  {
    id: '2026-11-25-campaign-active-slots',
    up: async (connection: Connection) => {
      await connection
        .collection('campaign_active_slots')
        .updateOne({ _id: 'FIRST_LOGIN' as never }, { $setOnInsert: { version: 0 } }, { upsert: true });
    },
  },
];

const toCampaign = ({ _id, ...rest }: CampaignDoc): Campaign => ({
  campaignId: _id,
  name: rest.name,
  description: rest.description ?? null,
  trigger: rest.trigger,
  status: rest.status,
  discountPercent: rest.discountPercent,
  voucherLimit: rest.voucherLimit,
  voucherValidDays: rest.voucherValidDays,
  startsAt: rest.startsAt,
  endsAt: rest.endsAt ?? null,
  registeredBefore: rest.registeredBefore ?? null,
  issued: rest.issued,
  remaining: rest.remaining,
  redeemed: rest.redeemed,
  createdAt: rest.createdAt,
  updatedAt: rest.updatedAt,
});

@Injectable()
export class MongoCampaignsRepository extends CampaignsRepository {
  constructor(
    @InjectModel(CAMPAIGN_MODEL) private readonly campaigns: Model<CampaignDoc>,
    @InjectModel(CAMPAIGN_SLOT_MODEL) private readonly slots: Model<SlotDoc>,
  ) {
    super();
  }

  async insert(campaign: Campaign): Promise<void> {
    const { campaignId, ...rest } = campaign;
    await this.campaigns.collection.insertOne(
      { _id: campaignId as never, ...rest },
      {
        session: TransactionScope.session(),
      },
    );
  }

  async findById(campaignId: string): Promise<Campaign | null> {
    const doc = (await this.campaigns.collection.findOne(
      { _id: campaignId as never },
      { session: TransactionScope.session() },
    )) as CampaignDoc | null;
    return doc ? toCampaign(doc) : null;
  }

  list(page: PageRequest): Promise<Page<Campaign>> {
    return readPage(
      page,
      NEWEST_FIRST,
      ({ filter, sort, limit }) =>
        this.campaigns.collection
          .find(filter as never, { session: TransactionScope.session() })
          .sort(sort)
          .limit(limit)
          .toArray() as unknown as Promise<CampaignDoc[]>,
      toCampaign,
    );
  }

  count(): Promise<number> {
    return this.campaigns.collection.countDocuments({});
  }

  async findActive(trigger?: CampaignTrigger): Promise<Campaign[]> {
    const docs = (await this.campaigns.collection
      .find({ status: 'ACTIVE', ...(trigger ? { trigger } : {}) }, { session: TransactionScope.session() })
      .sort({ startsAt: 1 })
      .toArray()) as unknown as CampaignDoc[];
    return docs.map(toCampaign);
  }

  async setStatus(campaignId: string, status: CampaignStatus, at: Date): Promise<void> {
    await this.campaigns.collection.updateOne(
      { _id: campaignId as never },
      { $set: { status, updatedAt: at } },
      { session: TransactionScope.session() },
    );
  }

  async claimActiveSlot(trigger: CampaignTrigger): Promise<void> {
    await this.slots.collection.updateOne(
      { _id: trigger as never },
      { $inc: { version: 1 } },
      { upsert: true, session: TransactionScope.session() },
    );
  }

  async takeVouchers(campaignId: string, count: number): Promise<boolean> {
    const result = await this.campaigns.collection.updateOne(
      { _id: campaignId as never, status: 'ACTIVE', remaining: { $gte: count } },
      { $inc: { remaining: -count, issued: count } },
      { session: TransactionScope.session() },
    );
    return result.modifiedCount === 1;
  }

  async countRedemption(campaignId: string): Promise<void> {
    await this.campaigns.collection.updateOne(
      { _id: campaignId as never },
      { $inc: { redeemed: 1 } },
      { session: TransactionScope.session() },
    );
  }
}
