import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RPC,
  type CreatePayerTransactionDto,
  type CreatePurchaseDto,
  type CreateRedemptionDto,
  type PointsByDayRequest,
  type RpcRequest,
} from '@lib/contracts';
import { ValidationFailed } from '@lib/errors';
import { CallerVerifier } from '@lib/jwt';
import { pageCursor, pageLimit } from './cursors';
import { PointsQueries } from './points/points-queries';
import { RecordPurchaseHandler } from './purchases/record-purchase.handler';
import { RedeemPointsHandler } from './redemptions/redeem-points.handler';
import { RecordPayerTransactionHandler } from './transactions/record-payer-transaction.handler';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The group an admin route names, checked again here (the gateway validated it already). */
function groupParam(req: RpcRequest): string {
  const groupId = req.params?.groupId;
  if (typeof groupId !== 'string' || !UUID.test(groupId)) {
    throw new ValidationFailed([{ field: 'groupId', message: 'groupId must be a UUID' }]);
  }
  return groupId;
}

/**
 * Maps the ledger RPCs to use cases. Members act on the group their verified token names, never
 * on one the request names; admin RPCs re-check the admin role from the token.
 */
@Controller()
export class LedgerRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly purchases: RecordPurchaseHandler,
    private readonly redemptions: RedeemPointsHandler,
    private readonly transactions: RecordPayerTransactionHandler,
    private readonly queries: PointsQueries,
  ) {}

  @MessagePattern(RPC.loyalty.createPurchase)
  async createPurchase(@Payload() req: RpcRequest<CreatePurchaseDto>) {
    const caller = await this.callers.caller(req);
    return this.purchases.execute(caller, req.body as CreatePurchaseDto);
  }

  @MessagePattern(RPC.loyalty.listPurchases)
  async listPurchases(@Payload() req: RpcRequest) {
    const caller = await this.callers.caller(req);
    return this.queries.purchases(caller.groupId, pageLimit(req.query), pageCursor(req.query));
  }

  @MessagePattern(RPC.loyalty.groupPoints)
  async groupPoints(@Payload() req: RpcRequest) {
    const caller = await this.callers.caller(req);
    return this.queries.points(caller.groupId);
  }

  @MessagePattern(RPC.loyalty.pointsHistory)
  async pointsHistory(@Payload() req: RpcRequest) {
    const caller = await this.callers.caller(req);
    return this.queries.history(caller.groupId, pageLimit(req.query), pageCursor(req.query));
  }

  @MessagePattern(RPC.loyalty.createRedemption)
  async createRedemption(@Payload() req: RpcRequest<CreateRedemptionDto>) {
    const caller = await this.callers.caller(req);
    return this.redemptions.execute(caller, req.body as CreateRedemptionDto);
  }

  @MessagePattern(RPC.loyalty.createPayerTransaction)
  async createPayerTransaction(@Payload() req: RpcRequest<CreatePayerTransactionDto>) {
    const admin = await this.callers.caller(req, 'admin');
    return this.transactions.execute(admin, groupParam(req), req.body as CreatePayerTransactionDto);
  }

  @MessagePattern(RPC.loyalty.adminGroupPoints)
  async adminGroupPoints(@Payload() req: RpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.queries.points(groupParam(req));
  }

  @MessagePattern(RPC.loyalty.adminPointsHistory)
  async adminPointsHistory(@Payload() req: RpcRequest) {
    await this.callers.caller(req, 'admin');
    return this.queries.history(groupParam(req), pageLimit(req.query), pageCursor(req.query));
  }

  @MessagePattern(RPC.loyalty.pointsByDay)
  async pointsByDay(@Payload() req: RpcRequest<PointsByDayRequest>) {
    await this.callers.caller(req, 'admin');
    return this.queries.pointsByDay(req.body?.days);
  }
}
