import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC } from '@lib/contracts';
import type {
  ActiveCampaignStatDto,
  CampaignDto,
  CampaignPageDto,
  CreateCampaignDto,
  RedeemedVoucherDto,
  RedeemVoucherDto,
  RpcRequest,
  UpdateCampaignStatusDto,
  VoucherListDto,
} from '@lib/contracts';
import { NotFound } from '@lib/errors';
import { CallerVerifier } from '@lib/jwt';
import { toCampaignDto, toVoucherDto } from './campaign-view';
import { CampaignsRepository } from './campaigns.repository';
import { ChangeCampaignStatusHandler } from './change-campaign-status/change-campaign-status.handler';
import { CreateCampaignHandler } from './create-campaign/create-campaign.handler';
import { RedeemVoucherHandler } from './redeem-voucher/redeem-voucher.handler';
import { VouchersRepository } from './vouchers.repository';

const param = (req: RpcRequest, name: string) => String(req.params?.[name] ?? '');

/** Maps the campaign and voucher RPCs to use cases; the caller always comes from its verified token. */
@Controller()
export class CampaignsRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly campaigns: CampaignsRepository,
    private readonly vouchers: VouchersRepository,
    private readonly createCampaign: CreateCampaignHandler,
    private readonly changeStatus: ChangeCampaignStatusHandler,
    private readonly redeemVoucher: RedeemVoucherHandler,
  ) {}

  @MessagePattern(RPC.promotion.createCampaign)
  async create(@Payload() req: RpcRequest<CreateCampaignDto>): Promise<CampaignDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.createCampaign.execute(admin.userId, req.body as CreateCampaignDto);
  }

  @MessagePattern(RPC.promotion.listCampaigns)
  async list(@Payload() req: RpcRequest): Promise<CampaignPageDto> {
    await this.callers.caller(req, 'admin');
    const limit = Number(req.query?.limit ?? 20);
    const cursor = req.query?.cursor as string | undefined;
    const page = await this.campaigns.list(Number.isInteger(limit) ? limit : 20, cursor);
    return { items: page.items.map(toCampaignDto), nextCursor: page.nextCursor };
  }

  @MessagePattern(RPC.promotion.getCampaign)
  async get(@Payload() req: RpcRequest): Promise<CampaignDto> {
    await this.callers.caller(req, 'admin');
    const campaign = await this.campaigns.findById(param(req, 'campaignId'));
    if (!campaign) throw new NotFound('campaign');
    return toCampaignDto(campaign);
  }

  @MessagePattern(RPC.promotion.updateCampaignStatus)
  async updateStatus(@Payload() req: RpcRequest<UpdateCampaignStatusDto>): Promise<CampaignDto> {
    const admin = await this.callers.caller(req, 'admin');
    const { status } = req.body as UpdateCampaignStatusDto;
    return this.changeStatus.execute(admin.userId, param(req, 'campaignId'), status);
  }

  @MessagePattern(RPC.promotion.activeCampaignStats)
  async activeStats(@Payload() req: RpcRequest): Promise<ActiveCampaignStatDto[]> {
    await this.callers.caller(req, 'admin');
    return (await this.campaigns.findActive()).map((c) => ({
      campaignId: c.campaignId,
      name: c.name,
      issued: c.issued,
      remaining: c.remaining,
    }));
  }

  @MessagePattern(RPC.promotion.myVouchers)
  async mine(@Payload() req: RpcRequest): Promise<VoucherListDto> {
    const caller = await this.callers.caller(req);
    const now = new Date();
    return { items: (await this.vouchers.findByUser(caller.userId)).map((v) => toVoucherDto(v, now)) };
  }

  @MessagePattern(RPC.promotion.redeemVoucher)
  async redeem(@Payload() req: RpcRequest<RedeemVoucherDto>): Promise<RedeemedVoucherDto> {
    const caller = await this.callers.caller(req);
    const { orderId } = req.body as RedeemVoucherDto;
    return this.redeemVoucher.execute(caller.userId, param(req, 'voucherId'), orderId);
  }
}
