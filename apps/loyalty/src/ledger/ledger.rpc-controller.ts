import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CreatePayerTransactionDto,
  CreatePurchaseDto,
  CreateRedemptionDto,
  GroupParamsDto,
  MemberParamsDto,
  PageQueryDto,
  PointsByDayRequestDto,
  RPC,
} from '@lib/contracts';
import { CallerVerifier, client } from '@lib/jwt';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { readPageRequest } from '@lib/paging';
import { HistoryQueries } from './queries/history.queries';
import { PointsByDayQueries } from './queries/points-by-day.queries';
import { PointsQueries } from './queries/points.queries';
import { PurchasesQueries } from './queries/purchases.queries';
import { RecordPayerTransactionHandler } from './record-payer-transaction/record-payer-transaction.handler';
import { RecordPurchaseHandler } from './record-purchase/record-purchase.handler';
import { RedeemPointsHandler } from './redeem-points/redeem-points.handler';
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
  ) {}

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
