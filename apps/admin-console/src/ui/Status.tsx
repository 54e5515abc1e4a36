import { ApiError, describeError, fieldSentence } from '../api/problem';

/** Announced to screen readers as it appears. */
export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

/**
 * A failed call: what happened, the field errors not shown elsewhere, and a retry button.
 * `besideFields` names the fields whose errors the form shows beside them already: those are not
 * repeated here (each problem is said once).
 */
export function ErrorNotice({
  error,
  onRetry,
  title,
  besideFields = [],
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  besideFields?: readonly string[];
}) {
  if (!error) return null;
  const fields = error instanceof ApiError ? error.errors.filter((f) => !besideFields.includes(f.field)) : [];
  return (
    <div role="alert" className="notice notice-error">
      <strong>{title ?? 'That did not work.'}</strong> {describeError(error)}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field + f.message}>{fieldSentence(f)}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Success({ children }: { children: React.ReactNode }) {
  return (
    <p role="status" className="notice notice-ok">
      {children}
    </p>
  );
}
