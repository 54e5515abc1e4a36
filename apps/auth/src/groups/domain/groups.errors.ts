import { DomainError, NotFound, RateLimited } from '@lib/errors';

/** The errors of groups and invites, built one way (codes and fields: libs/errors ERROR_CATALOGUE). */
export function groupFull(maxMembers: number): DomainError {
  return new DomainError('GROUP_FULL', `the group already has ${maxMembers} members`, { maxMembers });
}

export function inviteInvalid(): DomainError {
  return new DomainError('INVITE_INVALID', 'the invite code is unknown, already used or expired', {}, [
    { field: 'inviteCode', message: 'inviteCode is unknown, already used or expired' },
  ]);
}

/** A group that doesn't exist and one the caller isn't in look the same: existence never leaks. */
export function groupNotFound(): DomainError {
  return new NotFound('group');
}

export function tooManyInvites(retryAfterSeconds: number): DomainError {
  return new RateLimited('too many invites today; try again later', retryAfterSeconds);
}
