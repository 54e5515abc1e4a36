import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { ValidationFailed, type FieldError } from '@lib/errors';

/**
 * The one set of validation rules, used by the gateway's pipe on HTTP input and by every service
 * on RPC payloads and events: unknown fields are refused (never silently dropped), and every
 * failing field is named with its rule.
 */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  stopAtFirstError: false,
  forbidUnknownValues: true,
};

/** class-validator's errors as the API's `errors: [{field, message}]`, nested fields dotted. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property .* should not exist$/, 'is not an allowed field'),
    }));
    return [...own, ...toFieldErrors(e.children ?? [], field)];
  });
}

/**
 * `value` checked against a contracts DTO and turned into an instance of it, or ValidationFailed.
 * Field names read as at the gateway (`amount`). `tolerant` lets unknown fields through (and
 * drops them): events use it, since a newer producer may add fields an older consumer ignores.
 */
export function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  value: unknown,
  { tolerant = false }: { tolerant?: boolean } = {},
): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationFailed([{ field: 'body', message: 'body must be a JSON object' }]);
  }
  const instance = plainToInstance(dto, value);
  const errors = validateSync(instance, { ...VALIDATOR_OPTIONS, forbidNonWhitelisted: !tolerant });
  if (errors.length) throw new ValidationFailed(toFieldErrors(errors));
  return instance;
}
