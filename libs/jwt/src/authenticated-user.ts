import type { ApiClientScope } from '@lib/contracts';

/** The roles people hold (they log in). */
export const PERSON_ROLES = ['member', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
/** Every role a token may carry: an API client's token carries `client` alone. */
export const ROLES = [...PERSON_ROLES, 'client'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who the caller is, as a verified access token says: a person (member or admin) or an API
 * client. Services trust nothing else about a caller.
 */
export interface AuthenticatedUser {
  /** The token's `sub`: a person's userId, or an API client's clientId. */
  userId: string;
  /** A person's group (`gid`); the empty string for an API client, which has none. */
  groupId: string;
  roles: Role[];
  /** An API client's scopes (`scope`); empty for a person. */
  scopes: ApiClientScope[];
  /** Set only for an API client (`client_id`). */
  clientId?: string;
  /** The token's `jti`. */
  tokenId: string;
  /** Seconds since the epoch (`iat`): revocation refuses tokens issued before a principal's time. */
  issuedAt: number;
  /** Seconds since the epoch (`exp`). */
  expiresAt: number;
}

export const isApiClient = (caller: Pick<AuthenticatedUser, 'roles'>): boolean =>
  caller.roles.includes('client');

export interface JwtSettings {
  issuer: string;
  audience: string;
}
