/** RPC patterns of the auth service's administration side: users, audit log, stats, groups. */
export const ADMIN_AUTH_RPC = {
  /** Admin: → MemberStatsDto (admin stats). */
  memberStats: 'auth.stats.members',
  /** Admin: `{query: AdminUserQueryDto}` → AdminUserPageDto. */
  listUsers: 'auth.admin.users.list',
  /** Admin: `{body: EnrollUserDto}` → AdminUserDto. */
  enrollUser: 'auth.admin.users.enroll',
  /** Admin: `{params: {userId}, body: UpdateUserDto}` → AdminUserDto. */
  updateUser: 'auth.admin.users.update',
  /** Admin: `{query: AuditLogQueryDto}` → AuditLogPageDto. */
  listAuditLogs: 'auth.admin.audit.list',
  /** Admin: → AuditVerificationDto. */
  verifyAuditLog: 'auth.admin.audit.verify',
  /**
   * Admin (loyalty asks it with the admin's forwarded token): `{params: GroupParamsDto}` →
   * GroupExistsDto. Groups are never deleted, so a `true` stays true.
   */
  groupExists: 'auth.admin.groups.exists',
  /** Admin: `{params: GroupParamsDto}` → AdminGroupDto (NOT_FOUND for an unknown group). */
  getGroup: 'auth.admin.groups.get',
} as const;
