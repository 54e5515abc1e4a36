/** RPC patterns of the loyalty service (the points ledger). */
export const LOYALTY_RPC = {
  ping: 'loyalty.system.ping',
  /** Admin: `{days}` → PointsDayDto[] for the last `days` UTC days, oldest first (admin stats). */
  pointsByDay: 'loyalty.stats.points-by-day',
} as const;
