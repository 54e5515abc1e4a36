import { DomainError, IdempotencyConflict, ValidationFailed } from './domain-error';
import { ERROR_STATUS } from './error-codes';
import { toProblem } from './problem';
import { fromWireError, toWireError } from './wire-error';

describe('error mapping (pure)', () => {
  it('maps a domain error to problem+json with its stable code, status and details', () => {
    const problem = toProblem(
      new DomainError('INSUFFICIENT_POINTS', 'Only 5 points available', { available: 5, requested: 9 }),
    );
    expect(problem).toEqual({
      type: 'https://github.com/loyalty-platform/loyalty-platform/blob/main/docs/api.md#insufficient-points',
      title: 'Insufficient points',
      status: 422,
      detail: 'Only 5 points available',
      code: 'INSUFFICIENT_POINTS',
      available: 5,
      requested: 9,
    });
  });

  it('names every failing field of a validation error', () => {
    const problem = toProblem(
      new ValidationFailed([
        { field: 'username', message: 'must be 3-32 characters of [a-z0-9_.-]' },
        { field: 'extra', message: 'is not an allowed field' },
      ]),
    );
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors).toEqual([
      { field: 'username', message: 'must be 3-32 characters of [a-z0-9_.-]' },
      { field: 'extra', message: 'is not an allowed field' },
    ]);
  });

  it('never lets details override the core members', () => {
    const problem = toProblem(new DomainError('NOT_FOUND', 'no', { status: 200, code: 'OK' }));
    expect(problem.status).toBe(404);
    expect(problem.code).toBe('NOT_FOUND');
  });

  it('maps every API error code to the status the contract gives it', () => {
    expect(ERROR_STATUS).toMatchObject({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      IDEMPOTENCY_CONFLICT: 409,
      VOUCHER_EXPIRED: 410,
      PATTERN_CAPACITY: 422,
      RATE_LIMITED: 429,
      UPSTREAM_UNAVAILABLE: 503,
      LOCK_SERVICE_UNAVAILABLE: 503,
      UPSTREAM_TIMEOUT: 504,
    });
    expect(toProblem(new IdempotencyConflict('purchaseId p-1')).status).toBe(409);
  });

  it('round-trips a domain error over the wire unchanged', () => {
    const original = new DomainError('GROUP_FULL', 'The group already has 4 members', { maxMembers: 4 });
    const { wire, unexpected } = toWireError(original);
    expect(unexpected).toBeUndefined();
    const back = fromWireError(JSON.parse(JSON.stringify(wire)));
    expect(back).toBeInstanceOf(DomainError);
    expect(back).toMatchObject({ code: 'GROUP_FULL', message: original.message, details: { maxMembers: 4 } });
  });

  it('hides an unexpected error behind an errorId and keeps the cause for the log only', () => {
    const cause = new Error('E11000 duplicate key on mongodb://admin:pw@db');
    const { wire, unexpected } = toWireError(cause);
    expect(unexpected).toBe(cause);
    expect(wire).toEqual({
      code: 'INTERNAL',
      message: 'An unexpected error occurred',
      errorId: wire.errorId,
    });
    expect(wire.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fromWireError(wire).details).toEqual({ errorId: wire.errorId });
  });

  it('treats an unknown code on the wire as INTERNAL rather than trusting it', () => {
    expect(fromWireError({ code: 'TOTALLY_MADE_UP', message: 'x' }).code).toBe('INTERNAL');
    expect(fromWireError(null).code).toBe('INTERNAL');
  });
});
