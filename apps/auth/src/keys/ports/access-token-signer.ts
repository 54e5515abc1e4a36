/** What a person's access token says about its holder (the `sub`, `gid`, `roles` and `jti` claims). */
export interface AccessTokenClaims {
  userId: string;
  groupId: string;
  roles: string[];
  tokenId: string;
}

/** What an API client's access token says (`sub` and `client_id`, `scope`, `jti`; roles ["client"]). */
export interface ClientTokenClaims {
  clientId: string;
  scopes: string[];
  tokenId: string;
}

/** When a token is issued (`iat`, seconds) and how long it lives: `exp` is `iat` + `ttlSeconds`. */
export interface TokenTiming {
  ttlSeconds: number;
  /**
   * Seconds since the epoch. The issuer chooses it (see revocations/domain): a token issued after
   * its principal's revocation must carry an `iat` at or after it, which can be up to a second
   * ahead of the clock. Now, when absent.
   */
  issuedAt?: number;
}

/**
 * Signs access tokens: RS256 with the current key (its `kid` in the header), and the `iss`/`aud`
 * every verifier checks. Sessions issue people's tokens through this and API clients get theirs
 * the same way; only the keys area holds the key.
 */
export abstract class AccessTokenSigner {
  abstract sign(claims: AccessTokenClaims, timing: TokenTiming): Promise<string>;
  abstract signClient(claims: ClientTokenClaims, timing: TokenTiming): Promise<string>;
}
