import { plainToInstance, Transform, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { ValidationFailed, type FieldError } from '@lib/errors';

/**
 * The one set of validation rules, used by the gateway's pipe on HTTP input and by every service
 * on RPC payloads and events: unknown fields are refused (never silently dropped), and every
 * failing field is named with its rule. No type is coerced: a body's `"60"` is not the number 60
 * (no `@Type(() => Number)` and no implicit conversion on a body field; query strings read
 * numbers with QueryInt only).
 */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  stopAtFirstError: false,
  forbidUnknownValues: true,
};

/** The part of a request a value came from: bodies may hold text, query and path values may not. */
export type InputPart = 'body' | 'query' | 'params';

/** Deeper JSON is refused before any DTO looks at it (a deep enough document overflows the stack). */
export const MAX_INPUT_DEPTH = 64;

/**
 * Control characters (U+0000–U+001F, U+007F) are refused everywhere: in query and path values, in
 * every field name, and in body strings, where only TAB, LF and CR (text a person typed) may
 * appear. A NUL byte in particular is never a legitimate input and is an error in MongoDB.
 */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0d]); // tab, line feed, carriage return

/** Whether `text` holds a control character; `asText` lets TAB, LF and CR through. */
function hasControl(text: string, asText: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code <= 0x1f || code === 0x7f) && !(asText && TEXT_CONTROLS.has(code))) return true;
  }
  return false;
}

const NO_CONTROL = 'must not contain control characters (U+0000-U+001F, U+007F)';
const NO_CONTROL_IN_TEXT =
  'must not contain control characters (U+0000-U+001F, U+007F) other than tab, line feed and carriage return';

/**
 * What every input must be before its DTO is asked: nested at most MAX_INPUT_DEPTH levels, and free
 * of control characters (checkControl: false skips those, for events). Walks without recursion, so
 * no input can overflow it; each failure names its field as class-validator would (`a.b`, `codes.3`),
 * or the part when the value itself is at fault.
 */
export function inputErrors(
  value: unknown,
  part: InputPart,
  { field = '', checkControl = true }: { field?: string; checkControl?: boolean } = {},
): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: field, depth: 0 }];
  while (pending.length) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (checkControl && hasControl(current, part === 'body')) {
        errors.push({ field: path || part, message: part === 'body' ? NO_CONTROL_IN_TEXT : NO_CONTROL });
      }
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return [{ field: part, message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep` }];
    }
    const children = Object.entries(current).map(([key, child]) => {
      const childPath = path ? `${path}.${key}` : key;
      if (checkControl && hasControl(key, false)) errors.push({ field: childPath, message: NO_CONTROL });
      return { value: child, path: childPath, depth: depth + 1 };
    });
    pending.push(...children.reverse()); // popped in document order
  }
  return errors;
}

/**
 * A query-string integer: only a plain decimal integer string (`20`, `-3`) becomes a number;
 * anything else (`1e1`, ` 5`, `0x10`, `2.5`, `abc`) stays as it came and fails the field's
 * `@IsInt()`. Numbers pass through unchanged (the gateway forwards parsed queries to services).
 */
export const QueryInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value,
  );

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
 * Field names read as at the gateway (`amount`). `part` says which rules apply to strings (see
 * inputErrors; a body by default). `tolerant` lets unknown fields through (and drops them): events
 * use it, since a newer producer may add fields an older consumer ignores; an event carries only
 * what a service already accepted, so its strings are not checked for control characters again.
 */
export function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  value: unknown,
  { tolerant = false, part = 'body' }: { tolerant?: boolean; part?: InputPart } = {},
): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationFailed([{ field: part, message: `${part} must be a JSON object` }]);
  }
  const refused = inputErrors(value, part, { checkControl: !tolerant });
  if (refused.length) throw new ValidationFailed(refused);
  const instance = plainToInstance(dto, value);
  const errors = validateSync(instance, { ...VALIDATOR_OPTIONS, forbidNonWhitelisted: !tolerant });
  if (errors.length) throw new ValidationFailed(toFieldErrors(errors));
  return instance;
}
