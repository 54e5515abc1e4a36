import { DomainError, FieldError } from './domain-error';
import { ERROR_CATALOGUE, ErrorCode, problemTypeOf, statusOf } from './error-codes';

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

/** The one mapping from a DomainError to problem+json. Details never override the core members. */
export function toProblem(err: DomainError): Problem {
  const status = statusOf(err.code);
  const problem: Problem = {
    ...err.details,
    type: problemTypeOf(err.code),
    title: ERROR_CATALOGUE[err.code].title,
    status,
    detail: err.message,
    code: err.code,
  };
  if (err.errors?.length) problem.errors = err.errors;
  return problem;
}
