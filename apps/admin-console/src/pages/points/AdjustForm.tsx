import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { ApiError } from '../../api/problem';
import type { PayerTransaction } from '../../api/types';
import { Field } from '../../ui/Field';
import { ErrorNotice, Success } from '../../ui/Status';
import {
  checkAdjustment,
  describeAdjustment,
  EMPTY_ADJUSTMENT_FORM,
  formatPoints,
  newTransactionId,
} from './adjustment';
import type { Adjustment, AdjustmentForm } from './adjustment';
import { bindFields } from '../../ui/bindFields';

type Reviewed = Adjustment & { transactionId: string };

/**
 * Adds or removes a payer's points in a group, in two steps: review, then confirm. The
 * transactionId is made when the review opens, so confirming again after a failure (a timeout
 * that did go through, say) cannot add the points twice; a new review is a new adjustment.
 */
export function AdjustForm({
  groupId,
  onAdjusted,
}: {
  groupId: string;
  onAdjusted: (transaction: PayerTransaction) => void;
}) {
  const api = useApi();
  const [form, setForm] = useState<AdjustmentForm>(EMPTY_ADJUSTMENT_FORM);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [review, setReview] = useState<Reviewed>();
  const [done, setDone] = useState<string>();
  const confirmPanel = useRef<HTMLDivElement>(null);
  const reviewButton = useRef<HTMLButtonElement>(null);
  const adjust = useAction(
    useCallback(
      (body: Reviewed) =>
        api
          .post<PayerTransaction>(`/v1/admin/groups/${encodeURIComponent(groupId)}/transactions`, body)
          .catch((error: unknown) => {
            // Fields the API refused must be edited: back to the form (the next review is a new id).
            if (error instanceof ApiError && error.errors.length > 0) setReview(undefined);
            throw error;
          }),
      [api, groupId],
    ),
  );
  const apiErrors = adjust.error instanceof ApiError ? adjust.error.byField() : {};
  const errors = { ...apiErrors, ...localErrors };
  const field = bindFields(form, setForm, errors, { payer: (text) => text.toUpperCase() });

  useEffect(() => {
    if (review) confirmPanel.current?.focus();
  }, [review]);

  function startReview(e: FormEvent) {
    e.preventDefault();
    setDone(undefined);
    adjust.setError(undefined);
    const checked = checkAdjustment(form);
    if (!checked.ok) {
      setLocalErrors(checked.errors);
      return;
    }
    setLocalErrors({});
    setReview({ ...checked.adjustment, transactionId: newTransactionId() });
  }

  function cancel() {
    setReview(undefined);
    adjust.setError(undefined);
    reviewButton.current?.focus();
  }

  async function confirm() {
    if (!review) return;
    const transaction = await adjust.run(review);
    if (!transaction) return;
    setReview(undefined);
    setForm(EMPTY_ADJUSTMENT_FORM);
    setDone(`Adjusted: balance is now ${formatPoints(transaction.balance)}.`);
    onAdjusted(transaction);
  }

  // Every API error sits beside a field: a short alert suffices; otherwise the full notice.
  const apiFields = Object.keys(apiErrors);
  const placed = apiFields.length > 0 && apiFields.every((field) => field in EMPTY_ADJUSTMENT_FORM);
  return (
    <section className="card" aria-labelledby="adjust-points">
      <h2 id="adjust-points">Adjust points</h2>
      <form onSubmit={startReview} noValidate>
        <fieldset className="plain-fieldset" disabled={review !== undefined}>
          <legend className="muted">Group {groupId}</legend>
          <div className="form-grid">
            <Field
              label="Payer"
              {...field('payer')}
              hint="Upper case, e.g. STORE, DANNON"
              autoCapitalize="characters"
              autoComplete="off"
              required
            />
            <Field
              label="Points"
              inputMode="text"
              {...field('points')}
              hint="A whole number: 500 adds, -200 removes (the payer's oldest points first)"
              autoComplete="off"
              required
            />
            <Field
              label="Reason"
              {...field('reason')}
              hint="Kept in the ledger and the audit log"
              maxLength={500}
              required
            />
            <Field
              label="Timestamp"
              type="datetime-local"
              {...field('timestamp')}
              hint="Optional: now when empty (your local time). Orders the points for spending."
            />
          </div>
          <div className="actions">
            <button type="submit" ref={reviewButton}>
              Review adjustment
            </button>
          </div>
        </fieldset>
      </form>
      {review && (
        <div
          className="card confirm"
          role="group"
          aria-label="Adjustment to confirm"
          tabIndex={-1}
          ref={confirmPanel}
        >
          <p>
            <strong>{describeAdjustment(review, groupId)}</strong>
          </p>
          <p className="muted">Reason: {review.reason}</p>
          <div className="actions">
            <button type="button" disabled={adjust.pending} onClick={() => void confirm()}>
              Confirm adjustment
            </button>
            <button type="button" className="secondary" disabled={adjust.pending} onClick={cancel}>
              Cancel
            </button>
            {adjust.pending && <span role="status">Adjusting…</span>}
          </div>
        </div>
      )}
      {placed ? (
        <p role="alert" className="notice notice-error">
          The adjustment was not made: see the fields marked above.
        </p>
      ) : (
        <ErrorNotice error={adjust.error} title="The adjustment was not made." />
      )}
      {done && <Success>{done}</Success>}
    </section>
  );
}
