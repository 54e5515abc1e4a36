/** RPC patterns of the promotion service: campaigns and vouchers. */
export const CAMPAIGN_RPC = {
  /** Admin: → ActiveCampaignStatDto[] (admin stats). */
  activeCampaignStats: 'promotion.campaign.active-stats',
} as const;
