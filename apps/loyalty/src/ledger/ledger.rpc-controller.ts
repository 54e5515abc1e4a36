import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CreatePayerTransactionDto,
  CreatePurchaseDto,
  CreateRedemptionDto,
  CreateRefundDto,
  CreateReversalDto,
  GroupParamsDto,
  MemberParamsDto,
  PageQueryDto,
  PointsByDayRequestDto,
  PointsPolicyDto,
  PurchaseParamsDto,
  RedemptionParamsDto,
  RPC,
  TiersDto,
} from '@lib/contracts';
import { CallerVerifier, client } from '@lib/jwt';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { readPageRequest } from '@lib/paging';
import { HistoryQueries } from './queries/history.queries';
import { PointsByDayQueries } from './queries/points-by-day.queries';
import { PointsQueries } from './queries/points.queries';
import { ProgrammeQueries } from './queries/programme.queries';
import { PurchasesQueries } from './queries/purchases.queries';
import { RecordPayerTransactionHandler } from './record-payer-transaction/record-payer-transaction.handler';
import { RecordPurchaseHandler } from './record-purchase/record-purchase.handler';
import { RedeemPointsHandler } from './redeem-points/redeem-points.handler';
import { RefundPurchaseHandler } from './refund-purchase/refund-purchase.handler';
import { ReverseRedemptionHandler } from './reverse-redemption/reverse-redemption.handler';
import { UpdatePointsPolicyHandler } from './update-programme/update-points-policy.handler';
import { UpdateTiersHandler } from './update-programme/update-tiers.handler';
import { KnownGroups } from './services/known-groups';
import { MemberGroups } from './services/member-groups';

/**
 * Maps the ledger RPCs to use cases. Every request is checked against the gateway's own DTOs
 * first, then the caller's role or API-client scope from its verified token. Members act on the
 * group their token names, never on one the request names; API clients name a member, whose group
 * auth says (an unknown or disabled member is 422 UNKNOWN_MEMBER); admin RPCs (and the payer feed's
 * clients) name a group, which must exist (auth owns groups: a group it doesn't know is 404, and
 * no ledger is opened for it).
 */
@Controller()
export class LedgerRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly groups: KnownGroups,
    private readonly members: MemberGroups,
    private readonly purchases: RecordPurchaseHandler,
    private readonly redemptions: RedeemPointsHandler,
    private readonly transactions: RecordPayerTransactionHandler,
    private readonly points: PointsQueries,
    private readonly history: HistoryQueries,
    private readonly purchaseList: PurchasesQueries,
    private readonly stats: PointsByDayQueries,
    private readonly refunds: RefundPurchaseHandler,
    private readonly reversals: ReverseRedemptionHandler,
    private readonly policyUpdates: UpdatePointsPolicyHandler,
    private readonly tierUpdates: UpdateTiersHandler,
    private readonly programme: ProgrammeQueries,
  ) {}

  @MessagePattern(RPC.loyalty.refundPurchase)
  async refundPurchase(
    @RpcPayload({ body: CreateRefundDto, params: PurchaseParamsDto })
    req: ValidRpcRequest<CreateRefundDto, never, PurchaseParamsDto>,
  ) {
    const till = await this.callers.caller(req, client('purchases:write'));
    return this.refunds.execute(till, req.params.purchaseId, req.body);
  }

  @MessagePattern(RPC.loyalty.reverseRedemption)
  async reverseRedemption(
    @RpcPayload({ body: CreateReversalDto, params: RedemptionParamsDto })
    req: ValidRpcRequest<CreateReversalDto, never, RedemptionParamsDto>,
  ) {
    const caller = await this.callers.caller(req, 'admin', client('redemptions:write'));
    return this.reversals.execute(caller, req.params.redemptionId, req.body);
  }

  @MessagePattern(RPC.loyalty.getPointsPolicy)
  async getPointsPolicy(@RpcPayload() req: ValidRpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.programme.policy();
  }

  @MessagePattern(RPC.loyalty.updatePointsPolicy)
  async updatePointsPolicy(@RpcPayload({ body: PointsPolicyDto }) req: ValidRpcRequest<PointsPolicyDto>) {
    const admin = await this.callers.caller(req, 'admin');
    return this.policyUpdates.execute(admin, req.body);
  }

  @MessagePattern(RPC.loyalty.getTiers)
  async getTiers(@RpcPayload() req: ValidRpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.programme.tiers();
  }

  @MessagePattern(RPC.loyalty.updateTiers)
  async updateTiers(@RpcPayload({ body: TiersDto }) req: ValidRpcRequest<TiersDto>) {
    const admin = await this.callers.caller(req, 'admin');
    return this.tierUpdates.execute(admin, req.body);
  }

  @MessagePattern(RPC.loyalty.createPurchase)
  async createPurchase(@RpcPayload({ body: CreatePurchaseDto }) req: ValidRpcRequest<CreatePurchaseDto>) {
    const till = await this.callers.caller(req, client('purchases:write'));
    const member = await this.members.member(req.body.userId, req.caller);
    return this.purchases.execute(till, member, req.body);
  }

  @MessagePattern(RPC.loyalty.listPurchases)
  async listPurchases(@RpcPayload({ query: PageQueryDto }) req: ValidRpcRequest<never, PageQueryDto>) {
    const page = readPageRequest(req.query);
    const caller = await this.callers.caller(req);
    return this.purchaseList.purchases(caller.groupId, page);
  }

  @MessagePattern(RPC.loyalty.groupPoints)
  async groupPoints(@RpcPayload() req: ValidRpcRequest) {
    const caller = await this.callers.caller(req);
    return this.points.points(caller.groupId);
  }

  @MessagePattern(RPC.loyalty.pointsHistory)
  async pointsHistory(@RpcPayload({ query: PageQueryDto }) req: ValidRpcRequest<never, PageQueryDto>) {
    const page = readPageRequest(req.query);
    const caller = await this.callers.caller(req);
    return this.history.history(caller.groupId, page);
  }

  @MessagePattern(RPC.loyalty.createRedemption)
  async createRedemption(
    @RpcPayload({ body: CreateRedemptionDto }) req: ValidRpcRequest<CreateRedemptionDto>,
  ) {
    const caller = await this.callers.caller(req, 'member', 'admin', client('redemptions:write'));
    const member = await this.members.actingFor(caller, req.body.userId, req.caller);
    return this.redemptions.execute(caller, member, req.body);
  }

  @MessagePattern(RPC.loyalty.createPayerTransaction)
  async createPayerTransaction(
    @RpcPayload({ body: CreatePayerTransactionDto, params: GroupParamsDto })
    req: ValidRpcRequest<CreatePayerTransactionDto, never, GroupParamsDto>,
  ) {
    const caller = await this.callers.caller(req, 'admin', client('payer-transactions:write'));
    await this.groups.assertExists(req.params.groupId, req.caller);
    return this.transactions.execute(caller, req.params.groupId, req.body);
  }

  @MessagePattern(RPC.loyalty.memberPoints)
  async memberPoints(
    @RpcPayload({ params: MemberParamsDto }) req: ValidRpcRequest<never, never, MemberParamsDto>,
  ) {
    await this.callers.caller(req, client('members:read'));
    const member = await this.members.member(req.params.userId, req.caller);
    return this.points.points(member.groupId);
  }

  @MessagePattern(RPC.loyalty.adminGroupPoints)
  async adminGroupPoints(
    @RpcPayload({ params: GroupParamsDto }) req: ValidRpcRequest<never, never, GroupParamsDto>,
  ) {
    await this.callers.caller(req, 'admin');
    await this.groups.assertExists(req.params.groupId, req.caller);
    return this.points.points(req.params.groupId);
  }

  @MessagePattern(RPC.loyalty.adminPointsHistory)
  async adminPointsHistory(
    @RpcPayload({ query: PageQueryDto, params: GroupParamsDto })
    req: ValidRpcRequest<never, PageQueryDto, GroupParamsDto>,
  ) {
    const page = readPageRequest(req.query);
    await this.callers.caller(req, 'admin');
    await this.groups.assertExists(req.params.groupId, req.caller);
    return this.history.history(req.params.groupId, page);
  }

  @MessagePattern(RPC.loyalty.pointsByDay)
  async pointsByDay(
    @RpcPayload({ body: PointsByDayRequestDto }) req: ValidRpcRequest<PointsByDayRequestDto>,
  ) {
    await this.callers.caller(req, 'admin');
    return this.stats.pointsByDay(req.body.days);
  }
}
