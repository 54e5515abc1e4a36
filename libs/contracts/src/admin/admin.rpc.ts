/** RPC patterns of the auth service's administration side: users, audit log, stats. */
export const ADMIN_AUTH_RPC = {
  /** Admin: → MemberStatsDto (admin stats). */
  memberStats: 'auth.stats.members',
} as const;
