/** RPC patterns of the promotion service: campaigns and vouchers. */
export const CAMPAIGN_RPC = {
  /** Admin: CreateCampaignDto → CampaignDto (201). */
  createCampaign: 'promotion.campaign.create',
  /** Admin: `?limit=&cursor=` → Page<CampaignDto>, newest first. */
  listCampaigns: 'promotion.campaign.list',
  /** Admin: params `{campaignId}` → CampaignDto. */
  getCampaign: 'promotion.campaign.get',
  /** Admin: params `{campaignId}`, UpdateCampaignStatusDto → CampaignDto. */
  updateCampaignStatus: 'promotion.campaign.update-status',
  /** Admin: → ActiveCampaignStatDto[] (admin stats). */
  activeCampaignStats: 'promotion.campaign.active-stats',
  /** Member: the caller's own vouchers → VoucherListDto. */
  myVouchers: 'promotion.voucher.mine',
  /** Member: params `{voucherId}`, RedeemVoucherDto → RedeemedVoucherDto. */
  redeemVoucher: 'promotion.voucher.redeem',
} as const;
