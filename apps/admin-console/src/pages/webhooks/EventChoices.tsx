import { useId } from 'react';
import { EVENT_EXPLANATIONS, EVENT_TYPES } from './events';
import type { EventSelection } from './events';

/**
 * "All events", then a checkbox per event type with what it tells a receiver; one error line for
 * the group. While "All events" is ticked every type shows as ticked and can't be changed, and
 * the keyboard skips them; unticking it brings back the types chosen before.
 */
export function EventChoices({
  value,
  onChange,
  error,
}: {
  value: EventSelection;
  onChange: (value: EventSelection) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset
      className={error ? 'field field-invalid event-choices' : 'field event-choices'}
      aria-describedby={error ? `${id}-error` : undefined}
      aria-invalid={error ? true : undefined}
    >
      <legend>Events</legend>
      <div className="scope-choice">
        <label className="check">
          <input
            type="checkbox"
            checked={value.all}
            aria-describedby={`${id}-all`}
            onChange={(e) => onChange({ ...value, all: e.target.checked })}
          />
          All events
        </label>
        <small id={`${id}-all`} className="hint">
          Every type below, and types added later.
        </small>
      </div>
      <div className="event-types">
        {EVENT_TYPES.map((type) => (
          <div key={type} className="scope-choice">
            <label className="check">
              <input
                type="checkbox"
                checked={value.all || value.types.includes(type)}
                disabled={value.all}
                aria-describedby={`${id}-${type}`}
                onChange={(e) =>
                  onChange({
                    ...value,
                    types: e.target.checked ? [...value.types, type] : value.types.filter((t) => t !== type),
                  })
                }
              />
              <code>{type}</code>
            </label>
            <small id={`${id}-${type}`} className="hint">
              {EVENT_EXPLANATIONS[type]}
            </small>
          </div>
        ))}
      </div>
      {error && (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      )}
    </fieldset>
  );
}
