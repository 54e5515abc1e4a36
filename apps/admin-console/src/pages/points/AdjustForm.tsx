import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { ApiError } from '../../api/problem';
import type { PayerTransaction } from '../../api/types';
import { bindFields } from '../../ui/bindFields';
import { Field } from '../../ui/Field';
import { useFocusOnResult } from '../../ui/focus';
import { ErrorNotice, Success } from '../../ui/Status';
import {
  checkAdjustment,
  describeAdjusted,
  EMPTY_ADJUSTMENT_FORM,
  newTransactionId,
  sameAdjustment,
} from './adjustment';
import type { Adjustment, AdjustmentForm } from './adjustment';
import { ReviewPanel } from './ReviewPanel';
import type { AdminGroup } from './group';
import { theGroup } from './group';

type Reviewed = Adjustment & { transactionId: string };

const FORM_FIELDS = Object.keys(EMPTY_ADJUSTMENT_FORM);

/**
 * Whether a failed confirm may have been applied all the same: no answer (network), a timeout
 * or a server error. A plain refusal (400, 422) was not applied.
 */
function outcomeUnknown(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status === 408 || error.status >= 500;
}

/**
 * Adds or removes a payer's points in a group, in two steps: review (with the balance before and
 * after), then confirm. A refused confirm unlocks the fields to correct them. The transactionId is
 * made when the review opens; after a failure whose outcome is unknown (a timeout that did go
 * through, say), reviewing the same adjustment again keeps its id, so it cannot be added twice.
 */
export function AdjustForm({
  group,
  balance,
  byPayer,
  onAdjusted,
}: {
  group: AdminGroup;
  balance: number;
  byPayer: Record<string, number>;
  onAdjusted: (transaction: PayerTransaction) => void;
}) {
  const api = useApi();
  const [form, setForm] = useState<AdjustmentForm>(EMPTY_ADJUSTMENT_FORM);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [review, setReview] = useState<Reviewed>();
  const [done, setDone] = useState<string>();
  // Each result (a refusal beside the fields, an API error, a success) is a new object: focus follows it.
  const [outcome, setOutcome] = useState<object>();
  const maybeApplied = useRef<Reviewed | undefined>(undefined);
  const section = useFocusOnResult<HTMLElement>(outcome);
  const reviewButton = useRef<HTMLButtonElement>(null);
  const groupId = group.groupId;

  const adjust = useAction(
    useCallback(
      (body: Reviewed) =>
        api
          .post<PayerTransaction>(`/v1/admin/groups/${encodeURIComponent(groupId)}/transactions`, body)
          .catch((error: unknown) => {
            // Remembered for a retry of the same adjustment: it must keep this transactionId.
            if (outcomeUnknown(error)) maybeApplied.current = body;
            throw error;
          }),
      [api, groupId],
    ),
  );
  const apiErrors = adjust.error instanceof ApiError ? adjust.error.byField() : {};
  const errors = { ...apiErrors, ...localErrors };
  const unknown = adjust.error !== undefined && outcomeUnknown(adjust.error);
  const field = bindFields(form, setForm, errors, { payer: (text) => text.toUpperCase() });

  function startReview(e: FormEvent) {
    e.preventDefault();
    setDone(undefined);
    adjust.setError(undefined);
    const checked = checkAdjustment(form, byPayer);
    if (!checked.ok) {
      setLocalErrors(checked.errors);
      setOutcome({});
      return;
    }
    setLocalErrors({});
    const retry = maybeApplied.current;
    const transactionId =
      retry && sameAdjustment(retry, checked.adjustment) ? retry.transactionId : newTransactionId();
    setReview({ ...checked.adjustment, transactionId });
  }

  // Cancel returns the keyboard to Review, once the fields it unlocks are drawn enabled.
  const [cancelled, setCancelled] = useState<object>();
  useEffect(() => {
    if (cancelled) reviewButton.current?.focus();
  }, [cancelled]);

  function cancel() {
    setReview(undefined);
    adjust.setError(undefined);
    setCancelled({});
  }

  async function confirm() {
    if (!review) return;
    const transaction = await adjust.run(review);
    // Back to the form either way: refused, it is there to correct; done, it is empty for the next.
    setReview(undefined);
    setOutcome({});
    if (!transaction) return;
    maybeApplied.current = undefined;
    setForm(EMPTY_ADJUSTMENT_FORM);
    setDone(describeAdjusted(review, theGroup(group), transaction.balance));
    onAdjusted(transaction);
  }

  return (
    <section className="card" aria-labelledby="adjust-points" ref={section}>
      <h2 id="adjust-points">Adjust points</h2>
      <form onSubmit={startReview} noValidate>
        <fieldset className="plain-fieldset" disabled={review !== undefined}>
          <legend className="muted">Points of a payer in {theGroup(group)}</legend>
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
        <ReviewPanel
          adjustment={review}
          group={theGroup(group)}
          balance={balance}
          byPayer={byPayer}
          pending={adjust.pending}
          onConfirm={() => void confirm()}
          onCancel={cancel}
        />
      )}
      <ErrorNotice
        error={adjust.error}
        title={unknown ? 'The adjustment may not have been made.' : 'The adjustment was not made.'}
        besideFields={FORM_FIELDS}
      />
      {unknown && (
        <p className="muted">
          It may have gone through all the same. Review the same adjustment again to retry: it cannot be added
          twice.
        </p>
      )}
      {done && <Success>{done}</Success>}
    </section>
  );
}
