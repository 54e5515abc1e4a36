import { Field } from '../../ui/Field';
import { tierField } from './tiersForm';
import type { TierKey, TierRow } from './tiersForm';

/** One tier of the form: its name, minimum points and multiplier, with a Remove button. */
export function TierRowFields({
  row,
  index,
  errors,
  canRemove,
  autoFocus,
  onChange,
  onRemove,
}: {
  row: TierRow;
  index: number;
  errors: Record<string, string>;
  canRemove: boolean;
  autoFocus: boolean;
  onChange: (key: TierKey, text: string) => void;
  onRemove: () => void;
}) {
  const tierName = `tier ${index + 1}`;
  const bind = (key: TierKey) => ({
    value: row[key],
    onChange: (e: { target: { value: string } }) => onChange(key, e.target.value),
    error: errors[tierField(index, key)],
  });
  return (
    <fieldset className="tier-row">
      <legend>{index === 0 ? `Tier 1 (every group starts here)` : `Tier ${index + 1}`}</legend>
      <div className="form-grid">
        <Field
          label="Name"
          {...bind('name')}
          maxLength={40}
          autoComplete="off"
          autoFocus={autoFocus}
          required
        />
        <Field
          label="Minimum points"
          inputMode="numeric"
          {...bind('minPoints')}
          hint={index === 0 ? '0 for the first tier' : 'Qualifying points that reach it'}
          autoComplete="off"
          required
        />
        <Field
          label="Earn multiplier"
          inputMode="decimal"
          {...bind('earnMultiplier')}
          hint="1 to 10, e.g. 1.5"
          autoComplete="off"
          required
        />
        <div className="row-actions">
          <button
            type="button"
            className="secondary"
            aria-label={`Remove ${tierName}`}
            disabled={!canRemove}
            onClick={onRemove}
          >
            Remove
          </button>
        </div>
      </div>
    </fieldset>
  );
}
