import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../optional';
import { PageQueryDto, TOTAL_API } from '../pagination.dto';

/** `user.update` (exact), `webhook.*` (prefix) or `*` (any): a `*` only ever at the end. */
export const AUDIT_ACTION_FILTER_PATTERN = /^[^*]*\*?$/;

/** `GET /v1/admin/audit-logs?actorId=&action=&target=&from=&to=&limit=&cursor=`, newest first. */
export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'The userId of the admin who made the change' })
  @Optional()
  @IsString()
  @MaxLength(64)
  actorId?: string;

  @ApiPropertyOptional({
    example: 'webhook.*',
    description:
      'An exact action (`user.update`), or every action starting with a prefix when the value ends ' +
      'with `*` (`webhook.*`, `coupon-book.*`); `*` is allowed only at the end',
    maxLength: 100,
    pattern: AUDIT_ACTION_FILTER_PATTERN.source,
  })
  @Optional()
  @IsString()
  @MaxLength(100)
  @Matches(AUDIT_ACTION_FILTER_PATTERN, {
    message: 'action must be an action name, or a prefix followed by a single * at the end',
  })
  action?: string;

  @ApiPropertyOptional({ example: 'user:6f1c0b8e-…', description: '`<kind>:<id>`' })
  @Optional()
  @IsString()
  @MaxLength(200)
  target?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries created at or after this time' })
  @Optional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries created before this time' })
  @Optional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO-8601 date-time' })
  to?: string;
}

export class AuditEntryDto {
  @ApiProperty() auditId!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'ann (Ann Lee)',
    description:
      "Who made the change, for people: a user's username (and full name), an API client's name, " +
      'or `System (<x>)` for a `system:<x>` actor; null when unknown. Resolved when read.',
  })
  actorName!: string | null;
  @ApiProperty({ example: 'user.update' }) action!: string;
  @ApiProperty({ example: 'user:6f1c0b8e-…' }) target!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'ann, bob',
    description:
      "What was changed, for people: a user's username, a group's members' usernames, an API " +
      "client's name, or the name (a webhook's URL) the audit log recorded for a campaign, coupon " +
      'book, webhook…; null when no name is known. Resolved when read.',
  })
  targetName!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', description: 'When the change was made' }) createdAt!: string;
  @ApiProperty({ description: 'Position in the hash chain, from 1' }) seq!: number;
  @ApiProperty({ description: 'sha256 of this entry and the previous entry’s hash (hex)' }) hash!: string;
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty(TOTAL_API) total!: number;
}

export class AuditVerificationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'Entries checked' }) checked!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The first entry whose link is broken' })
  firstBrokenAuditId!: string | null;
}
