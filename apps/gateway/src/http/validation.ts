import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { InputPart, VALIDATOR_OPTIONS, inputErrors, toFieldErrors } from '@lib/contracts';
import { ValidationFailed } from '@lib/errors';

const PARTS: Partial<Record<ArgumentMetadata['type'], InputPart>> = {
  body: 'body',
  query: 'query',
  param: 'params',
};

/**
 * Validates every body, query and param against its contracts DTO, with the same rules the
 * services apply again at their RPC boundary (@lib/contracts validation): unknown fields are
 * rejected, not silently dropped, no type is coerced, and each failure names the field and the
 * rule. Before the DTO, the input rules every value meets (no control characters, nesting at most
 * MAX_INPUT_DEPTH), also where the route takes a bare `@Param('code') code: string`.
 */
class GatewayValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const part = PARTS[metadata.type];
    if (part) {
      const errors = inputErrors(value, part, { field: metadata.data });
      if (errors.length) throw new ValidationFailed(errors);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new GatewayValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailed(toFieldErrors(errors)),
  });
}
