import { Injectable } from '@nestjs/common';
import type { AuditLogPageDto, AuditLogQueryDto } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { AuditLogRepository } from '../ports/audit-log.repository';
import { AuditNames } from '../queries/audit-names';

/**
 * The audit log, newest first, filtered by actor, action (exact, or a prefix ending in `*`),
 * target and time, a page at a time, with the names of actors and targets and the total match.
 */
@Injectable()
export class ListAuditLogHandler {
  constructor(
    private readonly log: AuditLogRepository,
    private readonly names: AuditNames,
  ) {}

  async execute(query: AuditLogQueryDto, page: PageRequest): Promise<AuditLogPageDto> {
    const { items, nextCursor, total } = await this.log.list(
      {
        actorId: query.actorId,
        action: query.action,
        target: query.target,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      page,
    );
    const names = await this.names.of(items);
    return {
      items: items.map(({ prevHash: _prev, ...entry }, i) => ({ ...entry, ...names[i] })),
      nextCursor,
      total,
    };
  }
}
