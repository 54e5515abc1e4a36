import { Injectable } from '@nestjs/common';
import type { Page, PurchaseDto, PurchaseStatus } from '@lib/contracts';
import { decodeCursor, keysetKey, PageRequest, toPage } from '@lib/paging';
import { currencyMinorUnits, formatMinor } from '../domain/money';
import { Clock } from '../ports/clock';
import { PurchaseDetail, RequestLog, RequestRecord, REQUESTS_ORDER } from '../ports/request-log.repository';

/**
 * A group's purchases (whichever API client recorded them), newest first, a page at a time: each
 * as first answered, with where it stands now (status, refundedAmount).
 */
@Injectable()
export class PurchasesQueries {
  constructor(
    private readonly requests: RequestLog,
    private readonly clock: Clock,
  ) {}

  async purchases(groupId: string, page: PageRequest): Promise<Page<PurchaseDto>> {
    const after = decodeCursor(page.cursor, ['number', 'string', 'string']);
    const rows = await this.requests.list<PurchaseDto>('purchase', groupId, page.limit + 1, after);
    const now = this.clock.now();
    return toPage(
      rows,
      page,
      (row) => keysetKey(REQUESTS_ORDER, { ...row }),
      (row) => standing(row, now),
    );
  }
}

/** Purchases from before the points lifecycle lack its fields: they read as what they were. */
function standing(row: RequestRecord<PurchaseDto>, now: Date): PurchaseDto {
  const first = row.response;
  const detail = row.detail as PurchaseDetail | undefined;
  const minorUnits = detail?.minorUnits ?? currencyMinorUnits(first.currency) ?? 2;
  const refundedMinor = detail?.refundedMinor ?? 0;
  const availableAt = first.availableAt ?? first.occurredAt;
  const expiresAt = first.expiresAt ?? null;
  let status: PurchaseStatus = 'AVAILABLE';
  if (detail && refundedMinor >= detail.amountMinor) status = 'REFUNDED';
  else if (refundedMinor > 0) status = 'PARTIALLY_REFUNDED';
  else if (new Date(availableAt) > now) status = 'PENDING';
  else if (expiresAt && new Date(expiresAt) <= now) status = 'EXPIRED';
  return {
    ...first,
    earnMultiplier: first.earnMultiplier ?? '1',
    availableAt,
    expiresAt,
    status,
    refundedAmount: formatMinor(refundedMinor, minorUnits),
  };
}
