import { ValidateIf } from 'class-validator';

/**
 * An optional field: it may be left out, but when present it must pass its rules. Unlike
 * class-validator's @IsOptional, an explicit null is not waved through (the documented type is
 * a string, not a nullable one).
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
