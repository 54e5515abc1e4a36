import { useEffect, useRef, useState } from 'react';
import type { TierTable } from '../../api/types';
import { ConfirmPanel } from '../../ui/ConfirmPanel';
import { Field } from '../../ui/Field';
import { ApiError } from '../../api/problem';
import { formatCount, plural } from '../../ui/format';
import { ErrorNotice, Success } from '../../ui/Status';
import { useReviewedPut } from '../../ui/useReviewedPut';
import { TierRowFields } from './TierRowFields';
import {
  checkTiers,
  describeTiers,
  formOf,
  MAX_TIERS,
  newRow,
  sameTiers,
  tierErrorSentence,
} from './tiersForm';
import type { TierKey, TiersForm as Form } from './tiersForm';

export const TIERS_PATH = '/v1/admin/tiers';

/**
 * Edits the tier table in two steps: review (the tiers in a table), then confirm, which PUTs the
 * whole table. The API's field errors (`tiers.1.minPoints`) go back beside their fields, and are
 * listed in words in the notice ("Tier 2 minimum points must be at least 1.").
 */
export function TiersForm({ table }: { table: TierTable }) {
  const [added, setAdded] = useState<number>();
  const {
    form,
    setForm,
    review,
    message,
    errors,
    apiErrors,
    setLocalErrors,
    save,
    reviewButton,
    resultRef,
    startReview,
    cancel,
    confirm,
  } = useReviewedPut<TierTable, Form>({
    path: TIERS_PATH,
    initial: table,
    formOf,
    check: (f) => {
      const checked = checkTiers(f);
      return checked.ok ? { ok: true, value: checked.table } : checked;
    },
    same: sameTiers,
    unchanged: 'Nothing changed: these are the tiers in force.',
    saved: (saved) => `Saved ${plural(saved.tiers.length, 'tier')}.`,
  });
  const addButton = useRef<HTMLButtonElement>(null);
  // A removed row's Remove button is gone: the keyboard lands on "Add a tier", at the list's end,
  // once it is rendered (enabled again if the list was full).
  const focusAdd = useRef(false);
  useEffect(() => {
    if (!focusAdd.current) return;
    focusAdd.current = false;
    addButton.current?.focus();
  }, [form.tiers.length]);
  /** Errors name rows by position: once rows come or go, they name the wrong rows. */
  function forgetErrors() {
    setLocalErrors({});
    save.setError(undefined);
  }

  function changeRow(index: number, key: TierKey, text: string) {
    setForm((f) => ({ ...f, tiers: f.tiers.map((row, i) => (i === index ? { ...row, [key]: text } : row)) }));
  }

  function addRow() {
    const row = newRow();
    setAdded(row.key);
    setForm((f) => ({ ...f, tiers: [...f.tiers, row] }));
    forgetErrors();
  }

  function removeRow(index: number) {
    setForm((f) => ({ ...f, tiers: f.tiers.filter((_, i) => i !== index) }));
    forgetErrors();
    focusAdd.current = true;
  }

  async function confirmTiers() {
    if (await confirm()) setAdded(undefined);
  }

  const refused = Object.entries(apiErrors);
  return (
    <section className="card" aria-labelledby="edit-tiers" ref={resultRef}>
      <h2 id="edit-tiers">Tier table</h2>
      <p className="muted">
        A group&apos;s tier is the highest whose minimum points its qualifying points reach: the points it
        earned (less refunds) over the qualifying window. Purchases earn with the multiplier of the
        group&apos;s tier. List tiers from lowest to highest; the first starts at 0 points.
      </p>
      <form onSubmit={startReview} noValidate>
        <fieldset className="plain-fieldset" disabled={review !== undefined}>
          <legend className="visually-hidden">Tier table</legend>
          <div className="form-grid">
            <Field
              label="Qualifying days"
              inputMode="numeric"
              value={form.qualifyingDays}
              onChange={(e) => setForm((f) => ({ ...f, qualifyingDays: e.target.value }))}
              error={errors.qualifyingDays}
              hint="1–3650: the rolling window over which qualifying points count"
              autoComplete="off"
              required
            />
          </div>
          {form.tiers.map((row, i) => (
            <TierRowFields
              key={row.key}
              row={row}
              index={i}
              errors={errors}
              canRemove={form.tiers.length > 1}
              autoFocus={row.key === added}
              onChange={(key, text) => changeRow(i, key, text)}
              onRemove={() => removeRow(i)}
            />
          ))}
          {errors.tiers && <p className="field-error">{errors.tiers}</p>}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              ref={addButton}
              disabled={form.tiers.length >= MAX_TIERS}
              onClick={addRow}
            >
              Add a tier
            </button>
            <button type="submit" ref={reviewButton}>
              Review tiers
            </button>
          </div>
        </fieldset>
      </form>
      {review && (
        <ConfirmPanel
          label="Tiers to confirm"
          confirmText="Save tiers"
          pendingText="Saving…"
          pending={save.pending}
          onConfirm={() => void confirmTiers()}
          onCancel={cancel}
        >
          <p>
            <strong>{describeTiers(review)}</strong> Purchases from now on earn with these multipliers.
          </p>
          <div className="table-wrap">
            <table aria-label="Tiers to save">
              <thead>
                <tr>
                  <th scope="col">Tier</th>
                  <th scope="col" className="num">
                    From (qualifying points)
                  </th>
                  <th scope="col" className="num">
                    Earn multiplier
                  </th>
                </tr>
              </thead>
              <tbody>
                {review.tiers.map((tier) => (
                  <tr key={tier.name}>
                    <td data-label="Tier">{tier.name}</td>
                    <td className="num" data-label="From (qualifying points)">
                      {formatCount(tier.minPoints)}
                    </td>
                    <td className="num" data-label="Earn multiplier">
                      ×{tier.earnMultiplier}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </ConfirmPanel>
      )}
      {save.error instanceof ApiError && refused.length > 0 ? (
        <div role="alert" className="notice notice-error">
          <strong>The tiers were not saved.</strong>{' '}
          {refused.length === 1 ? 'One field needs attention:' : `${refused.length} fields need attention:`}
          <ul>
            {refused.map(([field, message]) => (
              <li key={field}>{tierErrorSentence(field, message)}</li>
            ))}
          </ul>
        </div>
      ) : (
        <ErrorNotice error={save.error} title="The tiers were not saved." />
      )}
      {message && <Success>{message}</Success>}
    </section>
  );
}
