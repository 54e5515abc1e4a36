export type Role = 'member' | 'admin';
export type UserStatus = 'ACTIVE' | 'DISABLED';

export interface User {
  userId: string;
  username: string;
  /** Stored lowercased: one mailbox, one account. */
  email: string;
  phone: string | null;
  fullName: string | null;
  birthday: string | null;
  groupId: string;
  roles: Role[];
  status: UserStatus;
  passwordHash: string;
  createdAt: Date;
  firstLoginAt: Date | null;
}

/** What a user sees of their own account: never the hash, the status or the login history. */
export type UserProfile = Omit<User, 'status' | 'passwordHash' | 'firstLoginAt' | 'createdAt'> & {
  createdAt: string;
};

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function canLogIn(user: User): boolean {
  return user.status === 'ACTIVE';
}

export function toProfile(user: User): UserProfile {
  return {
    userId: user.userId,
    username: user.username,
    email: user.email,
    phone: user.phone,
    fullName: user.fullName,
    birthday: user.birthday,
    groupId: user.groupId,
    roles: user.roles,
    createdAt: user.createdAt.toISOString(),
  };
}

/** What administrators see of an account: the profile plus its status. Never the hash. */
export interface AdminUserView extends UserProfile {
  status: UserStatus;
}

export function toAdminView(user: User): AdminUserView {
  return { ...toProfile(user), status: user.status };
}

/** The fields an administrator may change on an account (PATCH /v1/admin/users/{userId}). */
export type UserChanges = Partial<Pick<User, 'email' | 'phone' | 'fullName' | 'status' | 'roles'>>;

/** Each changed field with its old and new value, for the audit entry. Unchanged fields are left out. */
export function describeChanges(
  user: User,
  changes: UserChanges,
): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(changes) as Array<[keyof UserChanges, unknown]>) {
    if (to === undefined) continue;
    const from = user[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) diff[field] = { from, to };
  }
  return diff;
}
