import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, MaxLength } from 'class-validator';
import { RegisterDto } from '../identity/identity.dto';
import {
  EMAIL_API,
  EmailRules,
  FULL_NAME_API,
  FullNameRules,
  PHONE_API,
  PhoneRules,
  ROLES,
  RolesRules,
} from '../identity/user-fields';
import { Optional } from '../optional';
import { PageQueryDto, TOTAL_API } from '../pagination.dto';

export { ROLES };
export const USER_STATUSES = ['ACTIVE', 'DISABLED'] as const;

/** `GET /v1/admin/users?query=&limit=&cursor=`. */
export class AdminUserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Case-insensitive text found in the username, email or full name',
    maxLength: 100,
  })
  @Optional()
  @IsString()
  @MaxLength(100)
  query?: string;
}

/** `POST /v1/admin/users`: the register fields, plus the roles and the group to join. */
export class EnrollUserDto extends RegisterDto {
  @ApiPropertyOptional({ type: [String], enum: ROLES, default: ['member'] })
  @Optional()
  @RolesRules()
  roles?: Array<(typeof ROLES)[number]>;

  @ApiPropertyOptional({
    description: 'Seats the user in this existing group (at most 4 members); a new group otherwise',
    maxLength: 64,
  })
  @Optional()
  @IsString()
  @Length(1, 64)
  groupId?: string;
}

/** `PATCH /v1/admin/users/{userId}`: only the fields given change. */
export class UpdateUserDto {
  @ApiPropertyOptional(EMAIL_API)
  @Optional()
  @EmailRules()
  email?: string;

  @ApiPropertyOptional(PHONE_API)
  @Optional()
  @PhoneRules()
  phone?: string;

  @ApiPropertyOptional(FULL_NAME_API)
  @Optional()
  @FullNameRules()
  fullName?: string;

  @ApiPropertyOptional({
    enum: USER_STATUSES,
    description: 'DISABLED revokes every refresh token of the user and blocks login',
  })
  @Optional()
  @IsIn(USER_STATUSES, { message: `status must be one of ${USER_STATUSES.join(', ')}` })
  status?: (typeof USER_STATUSES)[number];

  @ApiPropertyOptional({
    type: [String],
    enum: ROLES,
    description: 'Replaces the roles; they take effect at the next token (login or refresh)',
  })
  @Optional()
  @RolesRules()
  roles?: Array<(typeof ROLES)[number]>;
}

export class UserIdParamDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  userId!: string;
}

/** A user as administrators see them: the profile plus status. Never the password hash. */
export class AdminUserDto {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) fullName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '1990-04-23' }) birthday!: string | null;
  @ApiProperty() groupId!: string;
  @ApiProperty({ type: [String], enum: ROLES }) roles!: string[];
  @ApiProperty({ enum: USER_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AdminUserPageDto {
  @ApiProperty({ type: [AdminUserDto] }) items!: AdminUserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty(TOTAL_API) total!: number;
}
