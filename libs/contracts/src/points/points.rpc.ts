/** RPC patterns of the loyalty service (the points ledger). */
export const LOYALTY_RPC = {
  ping: 'loyalty.system.ping',
  /** Admin: `{days}` → PointsDayDto[] for the last `days` UTC days, oldest first (admin stats). */
  pointsByDay: 'loyalty.stats.points-by-day',
  /** API client (purchases:write): CreatePurchaseDto → IdempotentReply<PurchaseDto>. */
  createPurchase: 'loyalty.purchase.create',
  /** Member: `query` PageQueryDto → Page<PurchaseDto>, newest first. */
  listPurchases: 'loyalty.purchase.list',
  /** Member: → PointsDto of the caller's group. */
  groupPoints: 'loyalty.points.get',
  /** Member: `query` PageQueryDto → Page<LedgerEntryDto>, newest first. */
  pointsHistory: 'loyalty.points.history',
  /** Member, or API client (redemptions:write) naming `userId`: CreateRedemptionDto → IdempotentReply<RedemptionDto>. */
  createRedemption: 'loyalty.redemption.create',
  /** Admin or API client (payer-transactions:write): `params.groupId`, CreatePayerTransactionDto → IdempotentReply<PayerTransactionDto>. */
  createPayerTransaction: 'loyalty.transaction.create',
  /** API client (members:read): `params: MemberParamsDto` → PointsDto of the member's group. */
  memberPoints: 'loyalty.member.points.get',
  /** API client (purchases:write): `params: PurchaseParamsDto`, CreateRefundDto → IdempotentReply<RefundDto>. */
  refundPurchase: 'loyalty.purchase.refund',
  /** API client (redemptions:write) or admin: `params: RedemptionParamsDto`, CreateReversalDto → IdempotentReply<ReversalDto> (created false on a repeat). */
  reverseRedemption: 'loyalty.redemption.reverse',
  /** Admin: → PointsPolicyDto. */
  getPointsPolicy: 'loyalty.policy.get',
  /** Admin: PointsPolicyDto → PointsPolicyDto (audited). */
  updatePointsPolicy: 'loyalty.policy.update',
  /** Admin: → TiersDto. */
  getTiers: 'loyalty.tiers.get',
  /** Admin: TiersDto → TiersDto (audited). */
  updateTiers: 'loyalty.tiers.update',
  /** Admin: `params.groupId` → PointsDto. */
  adminGroupPoints: 'loyalty.admin.points.get',
  /** Admin: `params.groupId`, `query` PageQueryDto → Page<LedgerEntryDto>. */
  adminPointsHistory: 'loyalty.admin.points.history',
} as const;
