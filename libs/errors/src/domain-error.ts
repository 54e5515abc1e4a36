import { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A failure the caller can act on. Plain TypeScript on purpose: domain code throws it without
 * knowing about HTTP or RPC. `details` become extra problem+json members (e.g. `available`).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationFailed extends DomainError {
  constructor(errors: FieldError[]) {
    super('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {}, errors);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found`);
  }
}

export class IdempotencyConflict extends DomainError {
  constructor(key: string) {
    super('IDEMPOTENCY_CONFLICT', `${key} was already used with a different request body`);
  }
}

/** The caller could not be authenticated (401); `why` says which check failed. */
export class Unauthenticated extends DomainError {
  constructor(why = 'a valid bearer access token is required') {
    super('UNAUTHENTICATED', why);
  }
}

/** The caller is known but may not do this (403). */
export class Forbidden extends DomainError {
  constructor(why: string) {
    super('FORBIDDEN', why);
  }
}

/** A limit was reached (429); the gateway sends `Retry-After` from `retryAfterSeconds`. */
export class RateLimited extends DomainError {
  constructor(why: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', why, { retryAfterSeconds });
  }
}

/** A service or the broker can't be reached (503). */
export class UpstreamUnavailable extends DomainError {
  constructor(why: string) {
    super('UPSTREAM_UNAVAILABLE', `The service is unavailable: ${why}. Try again shortly.`);
  }
}

/** A service did not answer in time (504): the operation may still have happened. */
export class UpstreamTimeout extends DomainError {
  constructor(service: string, timeoutMs: number) {
    super('UPSTREAM_TIMEOUT', `${service} did not answer within ${timeoutMs}ms`);
  }
}

/**
 * Work not done because whoever asked for it has stopped waiting (its RPC deadline passed while it
 * was queued): nobody reads this answer, and the caller's retry, with the same business id, does
 * the work. Same code as a timeout, which is what that caller saw.
 */
export class CallerGaveUp extends DomainError {
  constructor(what: string) {
    super('UPSTREAM_TIMEOUT', `not done: the caller stopped waiting before ${what}`);
  }
}
