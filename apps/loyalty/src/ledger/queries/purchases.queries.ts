import { Injectable } from '@nestjs/common';
import type { Page, PurchaseDto } from '@lib/contracts';
import { decodeCursor, keysetKey, PageRequest, toPage } from '@lib/paging';
import { RequestLog, REQUESTS_ORDER } from '../ports/request-log.repository';

/** A group's purchases as first answered (whichever API client recorded them), newest first, a page at a time. */
@Injectable()
export class PurchasesQueries {
  constructor(private readonly requests: RequestLog) {}

  async purchases(groupId: string, page: PageRequest): Promise<Page<PurchaseDto>> {
    const after = decodeCursor(page.cursor, ['number', 'string', 'string']);
    const rows = await this.requests.list<PurchaseDto>('purchase', groupId, page.limit + 1, after);
    return toPage(
      rows,
      page,
      (row) => keysetKey(REQUESTS_ORDER, { ...row }),
      (row) => row.response,
    );
  }
}
