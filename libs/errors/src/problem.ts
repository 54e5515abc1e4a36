import { DomainError, FieldError } from './domain-error';
import { ErrorCode, statusOf } from './error-codes';

/** RFC 9457 problem details, as the public API answers every error. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Validation failed',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal server error',
  UPSTREAM_UNAVAILABLE: 'Upstream service unavailable',
  UPSTREAM_TIMEOUT: 'Upstream service timed out',
};

function titleOf(code: ErrorCode): string {
  return (
    TITLES[code] ??
    code
      .toLowerCase()
      .split('_')
      .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
      .join(' ')
  );
}

/** The one mapping from a DomainError to problem+json. Details never override the core members. */
export function toProblem(err: DomainError): Problem {
  const status = statusOf(err.code);
  const problem: Problem = {
    ...err.details,
    type: `https://loyalty-platform.dev/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: titleOf(err.code),
    status,
    detail: err.message,
    code: err.code,
  };
  if (err.errors?.length) problem.errors = err.errors;
  return problem;
}
