import { ValidationPipe } from '@nestjs/common';
import { VALIDATOR_OPTIONS, toFieldErrors } from '@lib/contracts';
import { ValidationFailed } from '@lib/errors';

/**
 * Validates every body, query and param against its contracts DTO, with the same rules the
 * services apply again at their RPC boundary (@lib/contracts validation): unknown fields are
 * rejected, not silently dropped, and each failure names the field and the rule.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailed(toFieldErrors(errors)),
  });
}
