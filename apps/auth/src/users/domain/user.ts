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
