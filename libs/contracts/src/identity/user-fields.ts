import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsISO8601,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

/**
 * The validation rules of a user's fields, shared by registration, enrollment and admin edits so
 * the three can't drift apart. Optionality and the OpenAPI description stay with each DTO.
 */
export const ROLES = ['member', 'admin'] as const;

export const EMAIL_API = { example: 'ana@example.com', maxLength: 254, format: 'email' };
export const EmailRules = () =>
  applyDecorators(IsString(), MaxLength(254), IsEmail({}, { message: 'email must be an email address' }));

export const PHONE_API = { example: '+351912345678', maxLength: 32, pattern: '^\\+?[0-9 ()-]{3,32}$' };
export const PhoneRules = () =>
  applyDecorators(
    IsString(),
    Matches(/^\+?[0-9 ()-]{3,32}$/, {
      message: 'phone must be digits, spaces, ( ) - and an optional leading +',
    }),
  );

export const FULL_NAME_API = { example: 'Ana Silva', minLength: 1, maxLength: 200 };
export const FullNameRules = () => applyDecorators(IsString(), IsNotEmpty(), MaxLength(200));

export const RolesRules = () =>
  applyDecorators(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(ROLES.length),
    ArrayUnique(),
    IsIn(ROLES, { each: true, message: `each role must be one of ${ROLES.join(', ')}` }),
  );

/** The earliest birthday taken: older dates are typing slips, not customers. */
export const EARLIEST_BIRTHDAY = '1900-01-01';

/**
 * A birthday from 1900-01-01 to today. "Today" is the date in UTC+14, the earliest time zone, so a
 * person born today anywhere is taken; tomorrow everywhere is refused. Compares `YYYY-MM-DD`
 * strings, which order as dates do; the format itself is checked by the other rules.
 */
export const BirthdayInRange = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'birthdayInRange',
      validator: {
        validate: (value: unknown) => {
          if (!isRealDate(value)) return true; // the format rules say what is wrong
          return value >= EARLIEST_BIRTHDAY && value <= latestBirthday();
        },
        defaultMessage: (args) =>
          typeof args?.value === 'string' && args.value < EARLIEST_BIRTHDAY
            ? `birthday must not be before ${EARLIEST_BIRTHDAY}`
            : 'birthday must not be in the future',
      },
    },
    options,
  );

/** A `YYYY-MM-DD` string that names a day of the calendar (not 2030-02-30). */
function isRealDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** Today on the earliest-ahead time zone (UTC+14): the latest date that is today somewhere. */
function latestBirthday(): string {
  return new Date(Date.now() + 14 * 3600 * 1000).toISOString().slice(0, 10);
}

export const BIRTHDAY_API = {
  example: '1990-04-23',
  format: 'date',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: `A real date from ${EARLIEST_BIRTHDAY} to today`,
};
export const BirthdayRules = () =>
  applyDecorators(
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthday must be YYYY-MM-DD' }),
    IsISO8601(
      { strict: true, strictSeparator: true },
      { message: 'birthday must be a real date (YYYY-MM-DD)' },
    ),
    BirthdayInRange(),
  );
