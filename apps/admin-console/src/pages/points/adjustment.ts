import type { PayerTransactionRequest } from '../../api/types';
import { formatCount as formatPoints, plural } from '../../ui/format';
// The "Adjust points" form: what it holds, its checks before the review, and the words of the
// review. The API checks everything again; these checks only spare a round trip for the obvious.

export interface AdjustmentForm {
  payer: string;
  points: string;
  reason: string;
  timestamp: string;
}

export const EMPTY_ADJUSTMENT_FORM: AdjustmentForm = { payer: '', points: '', reason: '', timestamp: '' };

/** What the admin reviews, and then the POST body once a transactionId is added. */
export type Adjustment = Omit<PayerTransactionRequest, 'transactionId'>;

export type Checked = { ok: true; adjustment: Adjustment } | { ok: false; errors: Record<string, string> };

/**
 * Checks the form; field names are the API's, so local and API errors show in the same places.
 * `byPayer` (the payers' points as last read) refuses a removal that the API would refuse too.
 */
export function checkAdjustment(form: AdjustmentForm, byPayer?: Record<string, number>): Checked {
  const errors: Record<string, string> = {};
  const payer = form.payer.trim().toUpperCase();
  if (!payer) errors.payer = 'Enter the payer, e.g. STORE.';

  const text = form.points.trim().replace(/^\+/, '');
  const points = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(points))
    errors.points = 'Enter a whole number of points, negative to remove.';
  else if (points === 0) errors.points = 'Points must not be 0.';
  else if (byPayer && payer && points < 0 && -points > (byPayer[payer] ?? 0))
    errors.points = payerShortfall(payer, byPayer[payer] ?? 0);

  const reason = form.reason.trim();
  if (!reason) errors.reason = 'Say why: it goes into the ledger and the audit log.';

  let timestamp: string | undefined;
  if (form.timestamp.trim()) {
    const date = new Date(form.timestamp);
    if (Number.isNaN(date.getTime())) errors.timestamp = 'Enter a valid date and time, or leave it empty.';
    else timestamp = date.toISOString();
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    adjustment: timestamp ? { payer, points, reason, timestamp } : { payer, points, reason },
  };
}

/** "Payer STORE has 100 points in this group: at most 100 can be removed." */
function payerShortfall(payer: string, available: number): string {
  return available > 0
    ? `Payer ${payer} has ${plural(available, 'point')} in this group: at most ${formatPoints(available)} can be removed.`
    : `Payer ${payer} has no points in this group to remove.`;
}

/** "Add 500 points to payer STORE in the group of ann, bob?" or "Remove 200 points from payer …". */
export function describeAdjustment(adjustment: Adjustment, group: string): string {
  const amount = plural(Math.abs(adjustment.points), 'point');
  return adjustment.points > 0
    ? `Add ${amount} to payer ${adjustment.payer} in ${group}?`
    : `Remove ${amount} from payer ${adjustment.payer} in ${group}?`;
}

/** What was done, after the API said so: "Added 50 points to payer STORE in the group of ann, bob. Balance: 1,250." */
export function describeAdjusted(adjustment: Adjustment, group: string, balance: number): string {
  const amount = plural(Math.abs(adjustment.points), 'point');
  const done =
    adjustment.points > 0
      ? `Added ${amount} to payer ${adjustment.payer} in ${group}.`
      : `Removed ${amount} from payer ${adjustment.payer} in ${group}.`;
  return `${done} Balance: ${formatPoints(balance)}.`;
}

/** The group's and the payer's points before the adjustment and after it, for the review. */
export function balanceChange(
  adjustment: Adjustment,
  balance: number,
  byPayer: Record<string, number>,
): { group: [number, number]; payer: [number, number] } {
  const payer = byPayer[adjustment.payer] ?? 0;
  return {
    group: [balance, balance + adjustment.points],
    payer: [payer, payer + adjustment.points],
  };
}

/** The same adjustment reviewed again: a retry after an unknown outcome keeps its transactionId. */
export function sameAdjustment(a: Adjustment, b: Adjustment): boolean {
  return a.payer === b.payer && a.points === b.points && a.reason === b.reason && a.timestamp === b.timestamp;
}

export { formatPoints };

/** "+500" or "-200": the sign says which way the points went. */
export function formatSignedPoints(points: number): string {
  return points > 0 ? `+${formatPoints(points)}` : formatPoints(points);
}

/**
 * A fresh id for one reviewed adjustment. crypto.randomUUID exists only in secure contexts
 * (https or localhost); the console may be opened over plain http on a LAN address, so fall
 * back on getRandomValues, which exists everywhere.
 */
export function newTransactionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
