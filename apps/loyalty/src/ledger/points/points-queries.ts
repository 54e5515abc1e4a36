import { Injectable } from '@nestjs/common';
import type { LedgerEntryDto, Page, PointsDayDto, PointsDto, PurchaseDto } from '@lib/contracts';
import { ValidationFailed } from '@lib/errors';
import { decodeCursor, encodeCursor } from '../cursors';
import { EntryRecord, PointsLedgerRepository } from '../ledger.repository';
import { RequestLog } from '../request-log';

const DAY_MS = 86_400_000;

/** The ledger's read side: balances, history, purchases, and the admin stats' daily totals. */
@Injectable()
export class PointsQueries {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly requests: RequestLog,
  ) {}

  async points(groupId: string): Promise<PointsDto> {
    const account = await this.ledger.account(groupId);
    return { groupId, balance: account?.balance ?? 0, byPayer: account?.byPayer ?? {} };
  }

  async history(groupId: string, limit: number, cursor?: string): Promise<Page<LedgerEntryDto>> {
    const after = decodeCursor(cursor, (v): v is { seq: number } => Number.isSafeInteger(v.seq));
    const rows = await this.ledger.history(groupId, limit + 1, after?.seq);
    const items = rows.slice(0, limit);
    return {
      items: items.map(toEntryDto),
      nextCursor: rows.length > limit ? encodeCursor({ seq: items[items.length - 1].seq }) : null,
    };
  }

  async purchases(groupId: string, limit: number, cursor?: string): Promise<Page<PurchaseDto>> {
    const after = decodeCursor(
      cursor,
      (v): v is { at: number; id: string } => Number.isSafeInteger(v.at) && typeof v.id === 'string',
    );
    const rows = await this.requests.list<PurchaseDto>(
      'purchase',
      groupId,
      limit + 1,
      after && { createdAt: new Date(after.at), businessId: after.id },
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => r.response),
      nextCursor:
        rows.length > limit ? encodeCursor({ at: last.createdAt.getTime(), id: last.businessId }) : null,
    };
  }

  /**
   * The last `days` UTC days, oldest first, one row per day (zeros included). `earned` counts
   * points credited (EARN and positive ADJUST); `redeemed` the points redemptions spent.
   */
  async pointsByDay(days: unknown, now = new Date()): Promise<PointsDayDto[]> {
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 90) {
      throw new ValidationFailed([{ field: 'days', message: 'days must be an integer from 1 to 90' }]);
    }
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const since = new Date(today - (days - 1) * DAY_MS);
    const totals = new Map((await this.ledger.totalsByDay(since)).map((t) => [t.date, t]));
    return Array.from({ length: days }, (_, i) => {
      const date = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10);
      const t = totals.get(date);
      return { date, earned: t?.earned ?? 0, redeemed: t?.redeemed ?? 0 };
    });
  }
}

function toEntryDto(e: EntryRecord): LedgerEntryDto {
  return {
    entryId: e.entryId,
    type: e.type,
    points: e.points,
    payer: e.payer,
    reference: e.reference,
    balanceAfter: e.balanceAfter,
    createdAt: e.createdAt.toISOString(),
  };
}
