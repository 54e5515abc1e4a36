import { DomainError } from '@lib/errors';

/**
 * The token endpoint's own refusals (RFC 6749 §5.2), read off the request before auth is asked.
 * OAuthErrorFilter answers each as `{error, error_description}`.
 */
export const oauthErrors = {
  /** invalid_request: a parameter missing or repeated, or the client authenticated twice. */
  invalidRequest: (why: string) => new DomainError('OAUTH_INVALID_REQUEST', why),
  /** invalid_client: no client authentication, or one that cannot be right. */
  invalidClient: (why: string) => new DomainError('OAUTH_INVALID_CLIENT', why),
  /** invalid_scope: a malformed scope (which scopes the client holds is auth's to say). */
  invalidScope: (why: string) => new DomainError('OAUTH_INVALID_SCOPE', why),
  unsupportedGrantType: () =>
    new DomainError(
      'OAUTH_UNSUPPORTED_GRANT_TYPE',
      'grant_type must be client_credentials, the only grant this server supports',
    ),
};
