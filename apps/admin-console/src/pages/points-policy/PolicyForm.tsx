import type { PointsPolicy } from '../../api/types';
import { bindFields } from '../../ui/bindFields';
import { ConfirmPanel } from '../../ui/ConfirmPanel';
import { Field } from '../../ui/Field';
import { ErrorNotice, Success } from '../../ui/Status';
import { useReviewedPut } from '../../ui/useReviewedPut';
import {
  checkPolicy,
  describeChange,
  describeCurrent,
  describeWarning,
  formOf,
  POLICY_FIELDS,
  samePolicy,
} from './policyForm';
import type { PolicyForm as Form } from './policyForm';

export const POLICY_PATH = '/v1/admin/points-policy';

/**
 * Edits the points policy in two steps: review (the change in a sentence), then confirm, which
 * PUTs it. The API's field errors go back to the form, beside their fields.
 */
export function PolicyForm({ policy }: { policy: PointsPolicy }) {
  const {
    current,
    form,
    setForm,
    review,
    message,
    errors,
    apiErrors,
    save,
    reviewButton,
    resultRef,
    startReview,
    cancel,
    confirm,
  } = useReviewedPut<PointsPolicy, Form>({
    path: POLICY_PATH,
    initial: policy,
    formOf,
    check: (f) => {
      const checked = checkPolicy(f);
      return checked.ok ? { ok: true, value: checked.policy } : { ok: false, errors: checked.errors };
    },
    same: samePolicy,
    unchanged: 'Nothing changed: this is the policy in force.',
    saved: (saved) => `Saved. ${describeChange(saved)}`,
  });
  const field = bindFields(form, setForm, errors);

  const apiFields = Object.keys(apiErrors);
  const placed =
    apiFields.length > 0 && apiFields.every((f) => (POLICY_FIELDS as readonly string[]).includes(f));
  return (
    <section className="card" aria-labelledby="edit-policy" ref={resultRef}>
      <h2 id="edit-policy">Policy for points earned from now on</h2>
      <p data-testid="current-policy">
        {describeCurrent(current)} {describeWarning(current)}
      </p>
      <p className="muted">
        A change applies to points earned after it is saved: points already earned keep the dates they got.
        Only purchases wait; payer transactions are available at once. Every change is in the audit log.
      </p>
      <form onSubmit={startReview} noValidate>
        <fieldset className="plain-fieldset" disabled={review !== undefined}>
          <legend className="visually-hidden">Points policy</legend>
          <div className="form-grid">
            <Field
              label="Pending days"
              inputMode="numeric"
              {...field('pendingDays')}
              hint="0–365: days a purchase's points wait (the return window) before they can be spent. 0: at once."
              autoComplete="off"
              required
            />
            <div>
              <Field
                label="Expiry days"
                inputMode="numeric"
                {...field('expiryDays')}
                disabled={form.neverExpire}
                hint="1–3650: days after the purchase or transaction when its points expire; more than the pending days."
                autoComplete="off"
              />
              <label className="check-option">
                <input
                  type="checkbox"
                  checked={form.neverExpire}
                  onChange={(e) => setForm((f) => ({ ...f, neverExpire: e.target.checked }))}
                />{' '}
                Points never expire
              </label>
            </div>
            <Field
              label="Expiry warning days"
              inputMode="numeric"
              {...field('expiryWarningDays')}
              hint="1–365: how far ahead “expiring soon” looks."
              autoComplete="off"
              required
            />
          </div>
          <div className="actions">
            <button type="submit" ref={reviewButton}>
              Review policy
            </button>
          </div>
        </fieldset>
      </form>
      {review && (
        <ConfirmPanel
          label="Policy change to confirm"
          confirmText="Save policy"
          pendingText="Saving…"
          pending={save.pending}
          onConfirm={() => void confirm()}
          onCancel={cancel}
        >
          <p>
            <strong>{describeChange(review)}</strong>
          </p>
          <p>{describeWarning(review)}</p>
        </ConfirmPanel>
      )}
      {placed ? (
        <p role="alert" className="notice notice-error">
          The policy was not saved: see the fields marked above.
        </p>
      ) : (
        <ErrorNotice error={save.error} title="The policy was not saved." besideFields={POLICY_FIELDS} />
      )}
      {message && <Success>{message}</Success>}
    </section>
  );
}
