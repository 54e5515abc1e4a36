// The Points policy form: what it holds, its checks before the review, and the words of the
// review. The ranges are API.md's ("Points policy"); the API checks everything again, these checks
// only spare a round trip and say what is wrong in the admin's terms.
import type { PointsPolicy } from '../../api/types';
import { formatCount } from '../../ui/format';
import { wholeNumberIn } from '../../ui/wholeNumber';

export interface PolicyForm {
  pendingDays: string;
  expiryDays: string;
  /** Ticked: expiryDays is sent as null and its field is ignored. */
  neverExpire: boolean;
  expiryWarningDays: string;
}

/** The field names of the form that are also the API's: its errors show beside them. */
export const POLICY_FIELDS = ['pendingDays', 'expiryDays', 'expiryWarningDays'] as const;

export const RANGES = {
  pendingDays: { min: 0, max: 365 },
  expiryDays: { min: 1, max: 3650 },
  expiryWarningDays: { min: 1, max: 365 },
} as const;

export function formOf(policy: PointsPolicy): PolicyForm {
  return {
    pendingDays: String(policy.pendingDays),
    expiryDays: policy.expiryDays === null ? '' : String(policy.expiryDays),
    neverExpire: policy.expiryDays === null,
    expiryWarningDays: String(policy.expiryWarningDays),
  };
}

export type CheckedPolicy =
  | { ok: true; policy: PointsPolicy }
  | { ok: false; errors: Partial<Record<(typeof POLICY_FIELDS)[number], string>> };

/** Checks the form; errors are keyed by the API's field names, as the API's own would be. */
export function checkPolicy(form: PolicyForm): CheckedPolicy {
  const errors: Partial<Record<(typeof POLICY_FIELDS)[number], string>> = {};
  const pendingDays = wholeNumberIn(form.pendingDays, RANGES.pendingDays.min, RANGES.pendingDays.max);
  if (pendingDays === undefined)
    errors.pendingDays = 'Enter a whole number of days from 0 to 365 (0: points can be spent at once).';

  let expiryDays: number | null = null;
  if (!form.neverExpire) {
    const days = wholeNumberIn(form.expiryDays, RANGES.expiryDays.min, RANGES.expiryDays.max);
    if (days === undefined)
      errors.expiryDays = 'Enter a whole number of days from 1 to 3650, or tick “Points never expire”.';
    else if (pendingDays !== undefined && days <= pendingDays)
      errors.expiryDays = `Enter more days than the ${formatDays(pendingDays)} points wait: they must be spendable before they expire.`;
    else expiryDays = days;
  }

  const expiryWarningDays = wholeNumberIn(
    form.expiryWarningDays,
    RANGES.expiryWarningDays.min,
    RANGES.expiryWarningDays.max,
  );
  if (expiryWarningDays === undefined)
    errors.expiryWarningDays = 'Enter a whole number of days from 1 to 365.';

  if (pendingDays === undefined || expiryWarningDays === undefined || Object.keys(errors).length > 0)
    return { ok: false, errors };
  return { ok: true, policy: { pendingDays, expiryDays, expiryWarningDays } };
}

/** "1 day", "14 days", "3,650 days". */
export function formatDays(days: number): string {
  return days === 1 ? '1 day' : `${formatCount(days)} days`;
}

/** "wait 14 days and expire after 365 days", "be available at once and never expire". */
function lifeOfPoints(policy: PointsPolicy): string {
  const wait = policy.pendingDays === 0 ? 'be available at once' : `wait ${formatDays(policy.pendingDays)}`;
  const expiry =
    policy.expiryDays === null ? 'never expire' : `expire after ${formatDays(policy.expiryDays)}`;
  return `${wait} and ${expiry}`;
}

/**
 * What saving `policy` does, in the review: "Points earned from now on will wait 14 days and
 * expire after 365 days. Points already earned keep their dates."
 */
export function describeChange(policy: PointsPolicy): string {
  return `Points earned from now on will ${lifeOfPoints(policy)}. Points already earned keep their dates.`;
}

/** The warning window, in the review and under the current policy. */
export function describeWarning(policy: PointsPolicy): string {
  return `Points that expire within ${formatDays(policy.expiryWarningDays)} are shown as expiring soon.`;
}

/** The policy in force, above the form: "Points earned now wait 14 days and expire after 365 days." */
export function describeCurrent(policy: PointsPolicy): string {
  const wait = policy.pendingDays === 0 ? 'are available at once' : `wait ${formatDays(policy.pendingDays)}`;
  const expiry =
    policy.expiryDays === null ? 'never expire' : `expire after ${formatDays(policy.expiryDays)}`;
  return `Points earned now ${wait} and ${expiry}.`;
}

export function samePolicy(a: PointsPolicy, b: PointsPolicy): boolean {
  return (
    a.pendingDays === b.pendingDays &&
    a.expiryDays === b.expiryDays &&
    a.expiryWarningDays === b.expiryWarningDays
  );
}
