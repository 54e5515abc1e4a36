import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CampaignParamsDto,
  CreateCampaignDto,
  PageQueryDto,
  RedeemVoucherDto,
  RPC,
  UpdateCampaignStatusDto,
  VoucherParamsDto,
} from '@lib/contracts';
import type {
  ActiveCampaignStatDto,
  CampaignDto,
  CampaignPageDto,
  RedeemedVoucherDto,
  VoucherListDto,
} from '@lib/contracts';
import { CallerVerifier, client, isApiClient } from '@lib/jwt';
import { RpcPayload, ValidRpcRequest } from '@lib/messaging';
import { readPageRequest } from '@lib/paging';
import { ChangeCampaignStatusHandler } from './change-campaign-status/change-campaign-status.handler';
import { CreateCampaignHandler } from './create-campaign/create-campaign.handler';
import { voucherHolder } from './domain/voucher';
import { ActiveMembers } from './ports/active-members';
import { CampaignsQueries } from './queries/campaigns.queries';
import { VouchersQueries } from './queries/vouchers.queries';
import { RedeemVoucherHandler } from './redeem-voucher/redeem-voucher.handler';

/**
 * Maps the campaign and voucher RPCs to use cases. Every part of a request is checked against the
 * gateway's DTOs first; the caller always comes from its verified token. Vouchers are redeemed by
 * their holder, or at a till by an API client (vouchers:redeem) naming the holder, whose account
 * must still be active.
 */
@Controller()
export class CampaignsRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly campaigns: CampaignsQueries,
    private readonly vouchers: VouchersQueries,
    private readonly createCampaign: CreateCampaignHandler,
    private readonly changeStatus: ChangeCampaignStatusHandler,
    private readonly redeemVoucher: RedeemVoucherHandler,
    private readonly members: ActiveMembers,
  ) {}

  @MessagePattern(RPC.promotion.createCampaign)
  async create(
    @RpcPayload({ body: CreateCampaignDto }) req: ValidRpcRequest<CreateCampaignDto>,
  ): Promise<CampaignDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.createCampaign.execute(admin.userId, req.body);
  }

  @MessagePattern(RPC.promotion.listCampaigns)
  async list(
    @RpcPayload({ query: PageQueryDto }) req: ValidRpcRequest<never, PageQueryDto>,
  ): Promise<CampaignPageDto> {
    await this.callers.caller(req, 'admin');
    return this.campaigns.list(readPageRequest(req.query));
  }

  @MessagePattern(RPC.promotion.getCampaign)
  async get(
    @RpcPayload({ params: CampaignParamsDto }) req: ValidRpcRequest<never, never, CampaignParamsDto>,
  ): Promise<CampaignDto> {
    await this.callers.caller(req, 'admin');
    return this.campaigns.get(req.params.campaignId);
  }

  @MessagePattern(RPC.promotion.updateCampaignStatus)
  async updateStatus(
    @RpcPayload({ body: UpdateCampaignStatusDto, params: CampaignParamsDto })
    req: ValidRpcRequest<UpdateCampaignStatusDto, never, CampaignParamsDto>,
  ): Promise<CampaignDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.changeStatus.execute(admin.userId, req.params.campaignId, req.body.status);
  }

  @MessagePattern(RPC.promotion.activeCampaignStats)
  async activeStats(@RpcPayload() req: ValidRpcRequest): Promise<ActiveCampaignStatDto[]> {
    await this.callers.caller(req, 'admin');
    return this.campaigns.activeStats();
  }

  @MessagePattern(RPC.promotion.myVouchers)
  async mine(@RpcPayload() req: ValidRpcRequest): Promise<VoucherListDto> {
    const caller = await this.callers.caller(req);
    return this.vouchers.mine(caller.userId);
  }

  @MessagePattern(RPC.promotion.redeemVoucher)
  async redeem(
    @RpcPayload({ body: RedeemVoucherDto, params: VoucherParamsDto })
    req: ValidRpcRequest<RedeemVoucherDto, never, VoucherParamsDto>,
  ): Promise<RedeemedVoucherDto> {
    const caller = await this.callers.caller(req, 'member', 'admin', client('vouchers:redeem'));
    const holder = voucherHolder(caller, req.body.userId);
    // A till names the member: an unknown or disabled one is 422 UNKNOWN_MEMBER, as for purchases.
    if (isApiClient(caller)) await this.members.assertActive(holder, req.caller);
    return this.redeemVoucher.execute(holder, req.params.voucherId, req.body.orderId);
  }
}
