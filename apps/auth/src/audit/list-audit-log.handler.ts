import { Injectable } from '@nestjs/common';
import type { AuditLogQueryDto, Page } from '@lib/contracts';
import { ValidationFailed } from '@lib/errors';
import { AuditLogPosition, AuditLogRepository } from './audit-log.repository';
import { ChainedAuditEntry } from './domain/audit-chain';

export type AuditEntryView = ChainedAuditEntry;

/** Newest first; the cursor is the (createdAt, seq) of the last entry shown. */
@Injectable()
export class ListAuditLogHandler {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(query: AuditLogQueryDto): Promise<Page<Omit<AuditEntryView, 'prevHash'>>> {
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const entries = await this.log.list(
      {
        actorId: query.actorId,
        action: query.action,
        target: query.target,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      limit + 1,
      after,
    );
    const page = entries.slice(0, limit);
    return {
      items: page.map(({ prevHash: _prev, ...entry }) => entry),
      nextCursor: entries.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }
}

const encodeCursor = (last: AuditLogPosition) =>
  Buffer.from(`a:${Date.parse(last.createdAt)}:${last.seq}`).toString('base64url');

function decodeCursor(cursor: string): AuditLogPosition {
  const match = /^a:(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ValidationFailed([{ field: 'cursor', message: 'cursor is not one this list gave' }]);
  return { createdAt: new Date(Number(match[1])).toISOString(), seq: Number(match[2]) };
}
