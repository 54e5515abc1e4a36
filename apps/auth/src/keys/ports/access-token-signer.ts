/** What an access token says about its holder (the `sub`, `gid`, `roles` and `jti` claims). */
export interface AccessTokenClaims {
  userId: string;
  groupId: string;
  roles: string[];
  tokenId: string;
}

/**
 * Signs access tokens: RS256 with the current key (its `kid` in the header), and the `iss`/`aud`
 * every verifier checks. Sessions issue tokens through this; only the keys area holds the key.
 */
export abstract class AccessTokenSigner {
  abstract sign(claims: AccessTokenClaims, ttlSeconds: number): Promise<string>;
}
