import { Injectable } from '@nestjs/common';
import type { AuditEntryDto, AuditLogQueryDto, Page } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { AuditLogRepository } from '../ports/audit-log.repository';

/** The audit log, newest first, filtered by actor, action, target and time, a page at a time. */
@Injectable()
export class ListAuditLogHandler {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(query: AuditLogQueryDto, page: PageRequest): Promise<Page<AuditEntryDto>> {
    const { items, nextCursor } = await this.log.list(
      {
        actorId: query.actorId,
        action: query.action,
        target: query.target,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      page,
    );
    return { items: items.map(({ prevHash: _prev, ...entry }) => entry), nextCursor };
  }
}
