import { Injectable } from '@nestjs/common';
import type { PointsDto } from '@lib/contracts';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';

/**
 * A group's balance and points per payer: members see their own group's, admins any group's, and
 * API clients with members:read the group of a member they name.
 */
@Injectable()
export class PointsQueries {
  constructor(private readonly ledger: PointsLedgerRepository) {}

  async points(groupId: string): Promise<PointsDto> {
    const account = await this.ledger.account(groupId);
    return { groupId, balance: account?.balance ?? 0, byPayer: account?.byPayer ?? {} };
  }
}
