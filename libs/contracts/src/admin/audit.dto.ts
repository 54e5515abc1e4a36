import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, MaxLength } from 'class-validator';
import { Optional } from '../optional';
import { PageQueryDto } from '../pagination.dto';

/** `GET /v1/admin/audit-logs?actorId=&action=&target=&from=&to=&limit=&cursor=`, newest first. */
export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'The userId of the admin who made the change' })
  @Optional()
  @IsString()
  @MaxLength(64)
  actorId?: string;

  @ApiPropertyOptional({ example: 'user.update' })
  @Optional()
  @IsString()
  @MaxLength(100)
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
  @ApiProperty({ example: 'user.update' }) action!: string;
  @ApiProperty({ example: 'user:6f1c0b8e-…' }) target!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', description: 'When the change was made' }) createdAt!: string;
  @ApiProperty({ description: 'Position in the hash chain, from 1' }) seq!: number;
  @ApiProperty({ description: 'sha256 of this entry and the previous entry’s hash (hex)' }) hash!: string;
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class AuditVerificationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'Entries checked' }) checked!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The first entry whose link is broken' })
  firstBrokenAuditId!: string | null;
}
