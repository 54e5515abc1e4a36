export const ROLES = ['member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who the caller is, as a verified access token says. Services trust nothing else about a user. */
export interface AuthenticatedUser {
  userId: string;
  groupId: string;
  roles: Role[];
  /** The token's `jti`. */
  tokenId: string;
  /** Seconds since the epoch (`exp`). */
  expiresAt: number;
}

export interface JwtSettings {
  issuer: string;
  audience: string;
}
