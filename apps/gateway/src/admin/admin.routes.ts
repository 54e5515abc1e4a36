import type { Type } from '@nestjs/common';
import { AdminGroupsController } from './admin-groups.controller';
import { AdminStatsController } from './admin-stats.controller';
import { ApiClientsController } from './api-clients.controller';
import { AdminUsersController } from './admin-users.controller';
import { AuditLogsController } from './audit-logs.controller';
import { WebhooksController } from './webhooks.controller';

/** The gateway's admin users, groups, API clients, audit-log, stats and webhooks controllers (docs/api.md, Routes by area). */
export const adminControllers: Type<unknown>[] = [
  AdminUsersController,
  AdminGroupsController,
  ApiClientsController,
  AuditLogsController,
  AdminStatsController,
  WebhooksController,
];
