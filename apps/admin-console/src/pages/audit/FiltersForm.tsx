import { useId } from 'react';
import type { Ref } from 'react';
import { Field } from '../../ui/Field';
import { AUDIT_ACTION_PREFIXES, AUDIT_ACTIONS } from './actions';
import type { AuditFilters } from './auditQuery';
import { bindFields } from '../../ui/bindFields';

/** The filters being typed; nothing is asked of the API until "Apply filters". */
export function FiltersForm({
  value,
  onChange,
  onApply,
  onClear,
  errors,
  formRef,
}: {
  value: AuditFilters;
  onChange: (value: AuditFilters) => void;
  onApply: (value: AuditFilters) => void;
  onClear: () => void;
  errors: Partial<Record<keyof AuditFilters, string>>;
  /** The form, for focus to land on its first refused filter. */
  formRef?: Ref<HTMLFormElement>;
}) {
  const actionsId = useId();
  const field = bindFields(value, (change) => onChange(change(value)), errors);
  return (
    <section className="card" aria-labelledby="audit-filters">
      <h2 id="audit-filters">Filters</h2>
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onApply(value);
        }}
      >
        <div className="form-grid">
          <Field label="Actor id" {...field('actorId')} autoComplete="off" />
          <Field
            label="Action"
            {...field('action')}
            list={actionsId}
            hint={
              <>
                An exact name, like <code>user.update</code>; end with <code>*</code> to match a prefix:{' '}
                <code>webhook.*</code> matches every webhook action.
              </>
            }
            autoComplete="off"
          />
          <Field
            label="Target"
            {...field('target')}
            hint="kind:id, e.g. user:<id>, group:<id>"
            autoComplete="off"
          />
          <Field label="From" type="datetime-local" {...field('from')} hint="Your local time" />
          <Field label="To" type="datetime-local" {...field('to')} hint="Your local time, not included" />
        </div>
        <datalist id={actionsId}>
          {[...AUDIT_ACTION_PREFIXES, ...AUDIT_ACTIONS].map((action) => (
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
