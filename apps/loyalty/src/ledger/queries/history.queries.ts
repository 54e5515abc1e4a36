import { Injectable } from '@nestjs/common';
import type { CountedPage, LedgerEntryDto } from '@lib/contracts';
import { decodeCursor, keysetKey, PageRequest, toPage } from '@lib/paging';
import { EntryRecord, HISTORY_ORDER, PointsLedgerRepository } from '../ports/points-ledger.repository';

/** A group's ledger entries, newest first, a page at a time, with how many there are in all. */
@Injectable()
export class HistoryQueries {
  constructor(private readonly ledger: PointsLedgerRepository) {}

  async history(groupId: string, page: PageRequest): Promise<CountedPage<LedgerEntryDto>> {
    const after = decodeCursor(page.cursor, ['number']);
    const [rows, total] = await Promise.all([
      this.ledger.history(groupId, page.limit + 1, after),
      this.ledger.countEntries(groupId),
    ]);
    return { ...toPage(rows, page, (row) => keysetKey(HISTORY_ORDER, { ...row }), toEntryDto), total };
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
    reason: e.reason ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}
