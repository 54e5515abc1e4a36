import { ValidationFailed } from '@lib/errors';

/** When points earned now become spendable and when they expire (API.md, Points policy). */
export interface PointsPolicy {
  pendingDays: number;
  /** null: points never expire. */
  expiryDays: number | null;
  /** How far ahead `expiringSoon` looks. */
  expiryWarningDays: number;
}

export const DEFAULT_POINTS_POLICY: PointsPolicy = {
  pendingDays: 0,
  expiryDays: null,
  expiryWarningDays: 30,
};

const DAY_MS = 86_400_000;
export const addDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);

/** The dates a lot gets when it is earned: fixed then, whatever the policy says later. */
export interface LotDates {
  availableAt: Date;
  expiresAt: Date | null;
}

/**
 * A purchase waits out `pendingDays` from when it happened; a payer transaction is available at
 * once. Both expire `expiryDays` after they happened. A back-dated transaction may be available,
 * or even expired, the moment it arrives.
 */
export function lotDates(policy: PointsPolicy, occurredAt: Date, waits: boolean): LotDates {
  return {
    availableAt: waits ? addDays(occurredAt, policy.pendingDays) : occurredAt,
    expiresAt: policy.expiryDays === null ? null : addDays(occurredAt, policy.expiryDays),
  };
}

/**
 * The rule the DTO can't state alone: points must become available before they expire, or a
 * purchase's points would expire unspendable.
 */
export function checkPointsPolicy(policy: PointsPolicy): PointsPolicy {
  if (policy.expiryDays !== null && policy.expiryDays <= policy.pendingDays) {
    throw new ValidationFailed([
      {
        field: 'expiryDays',
        message: `expiryDays must be greater than pendingDays (${policy.pendingDays}): points must be spendable before they expire`,
      },
    ]);
  }
  return policy;
}
