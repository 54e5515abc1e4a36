import { useId } from 'react';
import type { ApiClientScope } from '../../api/types';
import { SCOPE_EXPLANATIONS, SCOPES } from './scopes';

/** A checkbox per scope, each with what it lets a client do; one error line for the group. */
export function ScopeChoices({
  value,
  onChange,
  error,
}: {
  value: ApiClientScope[];
  onChange: (value: ApiClientScope[]) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset
      className={error ? 'field field-invalid scope-choices' : 'field scope-choices'}
      aria-describedby={error ? `${id}-error` : undefined}
      aria-invalid={error ? true : undefined}
    >
      <legend>Scopes</legend>
      {SCOPES.map((scope) => (
        <div key={scope} className="scope-choice">
          <label className="check">
            <input
              type="checkbox"
              checked={value.includes(scope)}
              aria-describedby={`${id}-${scope}`}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, scope] : value.filter((s) => s !== scope))
              }
            />
            <code>{scope}</code>
          </label>
          <small id={`${id}-${scope}`} className="hint">
            {SCOPE_EXPLANATIONS[scope]}
          </small>
        </div>
      ))}
      {error && (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      )}
    </fieldset>
  );
}
