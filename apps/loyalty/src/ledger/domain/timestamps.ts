import { ValidationFailed } from '@lib/errors';

/** How far in the future a transaction time may be: clock skew between a till and us, no more. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

const ZONED = /^\d{4}-\d{2}-\d{2}(?:T[^Z+-]*(?:Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * A transaction time (purchase occurredAt, payer transaction timestamp): it orders points for
 * spending, so it must be unambiguous (a date, or a date-time with Z or an offset, never local
 * time) and not in the future.
 */
export function parseTransactionTime(text: string, field: string, now: Date): Date {
  const at = new Date(text);
  if (!ZONED.test(text) || Number.isNaN(at.getTime())) {
    throw new ValidationFailed([
      { field, message: `${field} must be an ISO-8601 date-time in UTC (Z) or with an offset` },
    ]);
  }
  if (at.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    throw new ValidationFailed([{ field, message: `${field} must not be in the future` }]);
  }
  return at;
}
