import { DomainError, Forbidden, NotFound, RateLimited, ValidationFailed } from '@lib/errors';

/** The errors of accounts, built one way (codes and fields: libs/errors ERROR_CATALOGUE). */
export function usernameTaken(): DomainError {
  return new DomainError('USERNAME_TAKEN', 'this username is taken', {}, [
    { field: 'username', message: 'username is already taken' },
  ]);
}

export function emailTaken(): DomainError {
  return new DomainError('EMAIL_TAKEN', 'an account with this email exists', {}, [
    { field: 'email', message: 'email is already registered' },
  ]);
}

/** The store refused a duplicate `key` (its unique fields): the error naming it, if it is one of ours. */
export function accountTaken(key: Record<string, unknown>): DomainError | undefined {
  if ('email' in key) return emailTaken();
  if ('username' in key) return usernameTaken();
  return undefined;
}

/** The programme must not lose its last administrator by a slip: another admin can do either. */
export function cannotDisableSelf(): DomainError {
  return new Forbidden('an administrator cannot disable their own account');
}

export function cannotDemoteSelf(): DomainError {
  return new Forbidden('an administrator cannot remove their own admin role');
}

export function groupAndInvite(): DomainError {
  return new ValidationFailed([
    { field: 'groupId', message: 'give groupId or inviteCode, not both' },
    { field: 'inviteCode', message: 'give groupId or inviteCode, not both' },
  ]);
}

export function noChanges(): DomainError {
  return new ValidationFailed([
    { field: 'body', message: 'give at least one of email, phone, fullName, status, roles' },
  ]);
}

/** An API client (or an admin) named a member who is unknown or whose account is disabled. */
export function unknownMember(): DomainError {
  return new DomainError('UNKNOWN_MEMBER', 'no active member has this userId', {}, [
    { field: 'userId', message: 'must be an active member' },
  ]);
}

export function userNotFound(): DomainError {
  return new NotFound('user');
}

export function tooManyRegistrations(retryAfterSeconds: number): DomainError {
  return new RateLimited('too many registrations from this address; try again later', retryAfterSeconds);
}
