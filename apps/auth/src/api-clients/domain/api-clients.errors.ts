import { DomainError, NotFound } from '@lib/errors';

/**
 * One answer for an unknown client, a revoked one, and a wrong or retired secret (RFC 6749 §5.2
 * `invalid_client`): it must not tell which client ids exist or which check failed.
 */
export function invalidClient(): DomainError {
  return new DomainError('OAUTH_INVALID_CLIENT', 'client authentication failed');
}

/** RFC 6749 §5.2 `invalid_scope`: a scope the client was not granted, or no scope at all. */
export function invalidScope(scopes: string[]): DomainError {
  return new DomainError('OAUTH_INVALID_SCOPE', `the client was not granted: ${scopes.join(' ')}`);
}

/** Unknown, or revoked: a revoked client can't be rotated or revoked again. */
export function apiClientNotFound(): DomainError {
  return new NotFound('api client');
}
