import { randomUUID } from 'node:crypto';
import { DomainError, FieldError, UpstreamUnavailable } from './domain-error';
import { ErrorCode, isErrorCode, statusOf } from './error-codes';
import { isStoreUnavailable } from './store-unavailable';

/** The shape an error takes on the wire between services (inside an RPC reply). */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  errors?: FieldError[];
  errorId?: string;
}

export interface ToWireResult {
  wire: WireError;
  /** Set when the error was not a DomainError: log it with its errorId, never send its text. */
  unexpected?: unknown;
}

/**
 * Maps any thrown value to a WireError. Unknown errors get an errorId and a generic message; the
 * database being unavailable (isStoreUnavailable) is UPSTREAM_UNAVAILABLE.
 */
export function toWireError(err: unknown): ToWireResult {
  if (err instanceof DomainError) {
    return {
      wire: { code: err.code, message: err.message, details: err.details, errors: err.errors },
    };
  }
  // The database mid-election is not a bug: 503, and the client retries with its business id.
  if (isStoreUnavailable(err)) return toWireError(new UpstreamUnavailable('the database is not reachable'));
  const errorId = randomUUID();
  return {
    wire: { code: 'INTERNAL', message: 'An unexpected error occurred', errorId },
    unexpected: err,
  };
}

/** Turns a WireError received from another service back into a DomainError. */
export function fromWireError(wire: unknown): DomainError {
  const w = (wire ?? {}) as Partial<WireError>;
  const code: ErrorCode = isErrorCode(w.code) ? w.code : 'INTERNAL';
  const details = { ...(w.details ?? {}) };
  if (w.errorId) details.errorId = w.errorId;
  return new DomainError(
    code,
    typeof w.message === 'string' ? w.message : 'Upstream error',
    details,
    w.errors,
  );
}

export { statusOf };
