import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository';
import { ChainWalk } from './domain/audit-chain';

/**
 * Walks the whole chain from the first entry, streaming it, up to the head as it was when the
 * walk began (entries appended meanwhile are left for the next check).
 */
@Injectable()
export class VerifyAuditChainHandler {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(): Promise<{ ok: boolean; checked: number; firstBrokenAuditId: string | null }> {
    const head = await this.log.head();
    const walk = new ChainWalk();
    for await (const entry of this.log.walk(head.seq)) {
      if (!walk.next(entry)) break;
    }
    return walk.finish(head);
  }
}
