/**
 * Revoking the access tokens of a principal (a user or an API client), and issuing tokens that a
 * past revocation doesn't refuse. What other areas use: users (a disable, a change of roles), API
 * clients (a revoke) and every token issuer (login, refresh, the client-credentials grant).
 */
export abstract class PrincipalRevocations {
  /**
   * Inside the caller's unit of work: every access token issued to `principalId` before `at` is
   * refused from now on, by every verifier. The revocation is stored and `auth.principal.revoked`
   * added to the outbox in that unit of work, so both exist exactly when the change that caused
   * them does.
   */
  abstract revoke(principalId: string, at: Date): Promise<void>;

  /**
   * The `iat` (seconds) of a token issued to `principalId` at `now`: at or after its revocation,
   * if any. Read it in the unit of work that read the state the token describes (status, roles,
   * scopes), so that a token dated after a revocation also reflects it.
   */
  abstract issuedAt(principalId: string, now: Date): Promise<number>;
}
