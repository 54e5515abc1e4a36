import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLogPageDto, AuditLogQueryDto, AuditVerificationDto, RPC } from '@lib/contracts';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** The audit log is read-only through the API: no route edits or deletes an entry. */
@ApiTags('Administration')
@Controller('admin/audit-logs')
@Authenticated('admin')
export class AuditLogsController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'Search the audit log' })
  @ApiOkResponse({ type: AuditLogPageDto, description: 'Every admin write of every service, newest first' })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  list(@BearerToken() accessToken: string, @Query() query: AuditLogQueryDto): Promise<AuditLogPageDto> {
    return this.services.call('auth', RPC.auth.listAuditLogs, { accessToken, query: { ...query } });
  }

  @Get('verify')
  @ApiOperation({ summary: "Verify the audit log's hash chain" })
  @ApiOkResponse({
    type: AuditVerificationDto,
    description: 'Walks the hash chain from the first entry; firstBrokenAuditId is null when ok',
  })
  @ApiProblems('UNAUTHENTICATED', 'FORBIDDEN')
  verify(@BearerToken() accessToken: string): Promise<AuditVerificationDto> {
    return this.services.call('auth', RPC.auth.verifyAuditLog, { accessToken });
  }
}
