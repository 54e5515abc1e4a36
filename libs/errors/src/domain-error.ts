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
