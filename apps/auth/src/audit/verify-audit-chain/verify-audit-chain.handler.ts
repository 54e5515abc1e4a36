import { Injectable } from '@nestjs/common';
import type { AuditVerificationDto } from '@lib/contracts';
import { ChainWalk } from '../domain/audit-chain';
import { AuditLogRepository } from '../ports/audit-log.repository';

/**
 * Walks the whole chain from the first entry, streaming it, up to the head as it was when the
 * walk began (entries appended meanwhile are left for the next check).
 */
@Injectable()
export class VerifyAuditChainHandler {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(): Promise<AuditVerificationDto> {
    const head = await this.log.head();
    const walk = new ChainWalk();
    for await (const entry of this.log.walk(head.seq)) {
      if (!walk.next(entry)) break;
    }
    return walk.finish(head);
  }
}
