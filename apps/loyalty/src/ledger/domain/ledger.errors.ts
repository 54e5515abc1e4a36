import { DomainError, NotFound, ValidationFailed } from '@lib/errors';
import { formatMinor } from './money';

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

/** 422: refunds would add up to more than the purchase; `refundable` is what is left. */
export function refundExceedsPurchase(
  leftMinor: number,
  minorUnits: number,
  currency: string,
  requested: string,
): DomainError {
  const refundable = formatMinor(leftMinor, minorUnits);
  return new DomainError(
    'REFUND_EXCEEDS_PURCHASE',
    `only ${refundable} ${currency} of this purchase is left to refund; ${requested} was asked for`,
    { refundable, requestedAmount: requested },
    [{ field: 'amount', message: `amount must be at most ${refundable} (what is left to refund)` }],
  );
}

/** 409: an admin named a redemptionId that several scopes used. */
export function redemptionAmbiguous(redemptionId: string, count: number): DomainError {
  return new DomainError(
    'REDEMPTION_AMBIGUOUS',
    `${count} redemptions have the id ${redemptionId}; reverse it with the API client that made it`,
  );
}

/** A redemption from before reversals: its points can't be traced to their lots. */
export function redemptionUntraceable(): DomainError {
  return new ValidationFailed([
    {
      field: 'redemptionId',
      message:
        'this redemption was recorded before reversals existed, so its points cannot be traced to their lots; give them back with a payer transaction instead',
    },
  ]);
}
