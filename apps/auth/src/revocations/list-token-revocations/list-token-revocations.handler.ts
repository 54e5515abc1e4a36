import { Injectable } from '@nestjs/common';
import type { TokenRevocationListDto } from '@lib/contracts';
import { TokenRevocationsRepository } from '../ports/token-revocations.repository';

/**
 * The revocations every verifier must know (the gateway and each service read it at start, after
 * a broker reconnect and every resync period): those younger than the longest token lifetime.
 */
@Injectable()
export class ListTokenRevocationsHandler {
  constructor(private readonly store: TokenRevocationsRepository) {}

  async execute(): Promise<TokenRevocationListDto> {
    const live = await this.store.listLive(new Date());
    return {
      items: live.map(({ principalId, validAfter }) => ({ principalId, validAfter: validAfter.getTime() })),
    };
  }
}
