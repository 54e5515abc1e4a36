import type { Type } from '@nestjs/common';
import { AdminStatsController } from './admin-stats.controller';
import { AdminUsersController } from './admin-users.controller';
import { AuditLogsController } from './audit-logs.controller';

/** The gateway's controllers for the admin section of API.md. */
export const adminControllers: Type<unknown>[] = [
  AdminUsersController,
  AuditLogsController,
  AdminStatsController,
];
