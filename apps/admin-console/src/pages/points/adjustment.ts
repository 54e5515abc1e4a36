import type { PayerTransactionRequest } from '../../api/types';
import { formatCount as formatPoints } from '../../ui/format';
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

/** Checks the form; field names are the API's, so local and API errors show in the same places. */
export function checkAdjustment(form: AdjustmentForm): Checked {
  const errors: Record<string, string> = {};
  const payer = form.payer.trim().toUpperCase();
  if (!payer) errors.payer = 'Enter the payer, e.g. STORE.';

  const text = form.points.trim().replace(/^\+/, '');
  const points = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(points))
    errors.points = 'Enter a whole number of points, negative to remove.';
  else if (points === 0) errors.points = 'Points must not be 0.';

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

/** "Add 500 points to payer STORE of group g?" or "Remove 200 points from payer …". */
export function describeAdjustment(adjustment: Adjustment, groupId: string): string {
  const amount = formatPoints(Math.abs(adjustment.points));
  return adjustment.points > 0
    ? `Add ${amount} points to payer ${adjustment.payer} of group ${groupId}?`
    : `Remove ${amount} points from payer ${adjustment.payer} of group ${groupId}?`;
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
