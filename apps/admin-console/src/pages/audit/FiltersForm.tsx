import { useId } from 'react';
import type { ChangeEvent } from 'react';
import { Field } from '../../ui/Field';
import { AUDIT_ACTIONS } from './actions';
import type { AuditFilters } from './auditQuery';

/** The filters being typed; nothing is asked of the API until "Apply filters". */
export function FiltersForm({
  value,
  onChange,
  onApply,
  onClear,
  errors,
}: {
  value: AuditFilters;
  onChange: (value: AuditFilters) => void;
  onApply: (value: AuditFilters) => void;
  onClear: () => void;
  errors: Partial<Record<keyof AuditFilters, string>>;
}) {
  const actionsId = useId();
  const set = (field: keyof AuditFilters) => (e: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...value, [field]: e.target.value });
  return (
    <section className="card" aria-labelledby="audit-filters">
      <h2 id="audit-filters">Filters</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onApply(value);
        }}
      >
        <div className="form-grid">
          <Field
            label="Actor id"
            value={value.actorId}
            onChange={set('actorId')}
            error={errors.actorId}
            autoComplete="off"
          />
          <Field
            label="Action"
            value={value.action}
            onChange={set('action')}
            error={errors.action}
            list={actionsId}
            autoComplete="off"
          />
          <Field
            label="Target"
            value={value.target}
            onChange={set('target')}
            error={errors.target}
            hint="kind:id, e.g. user:<id>, group:<id>"
            autoComplete="off"
          />
          <Field
            label="From"
            type="datetime-local"
            value={value.from}
            onChange={set('from')}
            error={errors.from}
            hint="Your local time"
          />
          <Field
            label="To"
            type="datetime-local"
            value={value.to}
            onChange={set('to')}
            error={errors.to}
            hint="Your local time, not included"
          />
        </div>
        <datalist id={actionsId}>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <div className="actions">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={onClear}>
            Clear
          </button>
        </div>
      </form>
    </section>
  );
}
