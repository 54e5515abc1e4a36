import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { Optional } from '../optional';
import {
  BIRTHDAY_API,
  BirthdayRules,
  EMAIL_API,
  EmailRules,
  FULL_NAME_API,
  FullNameRules,
  PHONE_API,
  PhoneRules,
} from './user-fields';

export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** `POST /v1/auth/register`. Field rules: docs/api.md, Accounts; the domain checks them again. */
export class RegisterDto {
  @ApiProperty({ example: 'ana.silva', pattern: '^[a-z0-9_.-]{3,32}$' })
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3-32 characters of lowercase letters, digits, _ . or -',
  })
  username!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, format: 'password' })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX, {
    message: `password must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters`,
  })
  password!: string;

  @ApiProperty(EMAIL_API)
  @EmailRules()
  email!: string;

  @ApiPropertyOptional(PHONE_API)
  @Optional()
  @PhoneRules()
  phone?: string;

  @ApiPropertyOptional(FULL_NAME_API)
  @Optional()
  @FullNameRules()
  fullName?: string;

  @ApiPropertyOptional(BIRTHDAY_API)
  @Optional()
  @BirthdayRules()
  birthday?: string;

  @ApiPropertyOptional({
    description: 'Joins the group that issued this invite',
    minLength: 1,
    maxLength: 64,
  })
  @Optional()
  @IsString()
  @Length(1, 64)
  inviteCode?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ana.silva', minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ format: 'password', minLength: 1, maxLength: PASSWORD_MAX })
  @IsString()
  @Length(1, PASSWORD_MAX)
  password!: string;
}

export class RefreshTokenDto {
  @ApiProperty({
    description: 'The refresh token from login or the last refresh',
    minLength: 1,
    maxLength: 256,
  })
  @IsString()
  @Length(1, 256)
  refreshToken!: string;
}

export class RegisteredUserDto {
  @ApiProperty() userId!: string;
  @ApiProperty() groupId!: string;
  @ApiProperty({ type: [String], enum: ['member', 'admin'] }) roles!: string[];
}

export class TokenPairDto {
  @ApiProperty({ description: 'RS256 JWT with a kid header' }) accessToken!: string;
  @ApiProperty({ description: 'Opaque; single use: every refresh rotates it' }) refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds', example: 1800 }) expiresIn!: number;
}

export class MeDto {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) fullName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '1990-04-23' }) birthday!: string | null;
  @ApiProperty() groupId!: string;
  @ApiProperty({ type: [String], enum: ['member', 'admin'] }) roles!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class GroupMemberDto {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
}

export class GroupDto {
  @ApiProperty() groupId!: string;
  @ApiProperty({ example: 4 }) maxMembers!: number;
  @ApiProperty({ type: [GroupMemberDto] }) members!: GroupMemberDto[];
}

export class InviteDto {
  @ApiProperty({ description: 'Single use; give it to the person who should join' }) inviteCode!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class JwkDto {
  @ApiProperty({ enum: ['RSA'] }) kty!: string;
  @ApiProperty() kid!: string;
  @ApiProperty({ enum: ['RS256'] }) alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
  @ApiProperty() n!: string;
  @ApiProperty() e!: string;
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto] }) keys!: JwkDto[];
}
