/**
 * The stable, machine-readable error codes of the public API (../shared/API.md), with the HTTP
 * status each one maps to. Domain code throws DomainError with one of these codes; the gateway maps
 * it to problem+json once, and services map it to an RPC error once.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVITE_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  EMAIL_TAKEN: 409,
  GROUP_FULL: 409,
  IDEMPOTENCY_CONFLICT: 409,
  CAMPAIGN_CONFLICT: 409,
  VOUCHER_ALREADY_REDEEMED: 409,
  NO_CODES_AVAILABLE: 409,
  COUPON_LOCKED: 409,
  COUPON_ALREADY_REDEEMED: 409,
  LOCK_REQUIRED: 409,
  VOUCHER_EXPIRED: 410,
  COUPON_BOOK_INACTIVE: 410,
  INSUFFICIENT_POINTS: 422,
  INSUFFICIENT_PAYER_POINTS: 422,
  MAX_CODES_PER_USER: 422,
  PATTERN_CAPACITY: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM_UNAVAILABLE: 503,
  LOCK_SERVICE_UNAVAILABLE: 503,
  NOT_READY: 503,
  UPSTREAM_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
