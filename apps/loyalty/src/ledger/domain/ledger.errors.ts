import { DomainError } from '@lib/errors';

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
