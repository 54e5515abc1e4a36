/** RPC patterns of the auth service for API clients, members named by clients, and revocation. */
export const API_CLIENT_RPC = {
  /** Admin: `{body: CreateApiClientDto}` → CreatedApiClientDto. */
  createApiClient: 'auth.admin.api-clients.create',
  /** Admin: `{query: PageQueryDto}` → ApiClientPageDto (active clients, newest first). */
  listApiClients: 'auth.admin.api-clients.list',
  /** Admin: `{params: ApiClientParamsDto}` → ApiClientSecretDto. */
  rotateApiClientSecret: 'auth.admin.api-clients.rotate-secret',
  /** Admin: `{params: ApiClientParamsDto}` → `{}`; the client's tokens are revoked. */
  revokeApiClient: 'auth.admin.api-clients.revoke',
  /** Anyone (the gateway's token endpoint): `{body: IssueClientTokenDto}` → ClientTokenDto. */
  issueClientToken: 'auth.oauth.client-token',
  /**
   * An API client with a scope that names members, or an admin: `{params: MemberParamsDto}` →
   * MemberLookupDto; an unknown or disabled member is 422 UNKNOWN_MEMBER.
   */
  lookupMember: 'auth.member.lookup',
  /** Internal (every token verifier): → TokenRevocationListDto, the revocations still relevant. */
  tokenRevocations: 'auth.tokens.revocations',
} as const;
