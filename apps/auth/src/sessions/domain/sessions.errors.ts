import { DomainError, RateLimited, Unauthenticated } from '@lib/errors';

export const INVALID_CREDENTIALS = 'INVALID_CREDENTIALS';

/** One body for every failed login, whatever the reason: it must not tell which one it was. */
export function invalidCredentials(): DomainError {
  return new DomainError(INVALID_CREDENTIALS, 'the username or password is wrong');
}

export function refreshRefused(): DomainError {
  return new Unauthenticated('the refresh token is invalid, expired or revoked');
}

export function tooManyFailedLogins(retryAfterSeconds: number): DomainError {
  return new RateLimited('too many failed logins; try again later', retryAfterSeconds);
}
