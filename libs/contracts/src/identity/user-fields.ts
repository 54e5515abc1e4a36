import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
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
