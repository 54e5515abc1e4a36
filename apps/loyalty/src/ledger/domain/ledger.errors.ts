import { DomainError, NotFound, ValidationFailed } from '@lib/errors';

/** The ledger's own refusals (docs/api.md, Errors); generic ones come from @lib/errors. */
export function insufficientPoints(available: number, requested: number): DomainError {
  return new DomainError(
    'INSUFFICIENT_POINTS',
    `the group has ${available} points, ${requested} were requested`,
    { available, requested },
  );
}

export function insufficientPayerPoints(payer: string, available: number, requested: number): DomainError {
  return new DomainError(
    'INSUFFICIENT_PAYER_POINTS',
    `${payer} has ${available} points in this group, ${requested} would be taken`,
    { payer, available, requested },
  );
}

/** A group an admin route names that auth doesn't know: 404, and nothing is opened for it. */
export function groupNotFound(): DomainError {
  return new NotFound('group');
}

/** A person acts for their own group, never for a member they name: only API clients name one. */
export function memberNamedByPerson(): DomainError {
  return new ValidationFailed([
    { field: 'userId', message: 'only API clients name a member; a member acts for their own group' },
  ]);
}

/** An API client has no group of its own: it must say which member a request is for. */
export function memberRequired(): DomainError {
  return new ValidationFailed([
    { field: 'userId', message: 'userId is required: an API client names the member it acts for' },
  ]);
}
