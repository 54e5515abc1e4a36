import { Injectable } from '@nestjs/common';
import type { CreateRedemptionDto, IdempotentReply, RedemptionDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { insufficientPoints } from '../domain/ledger.errors';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';
import { fingerprint, IdempotentCommands } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';

/**
 * A redemption spends the group's oldest points first, across payers, in one transaction: the
 * lots, the account, one REDEEM entry per payer portion and the redemption record. 422
 * INSUFFICIENT_POINTS writes nothing. Idempotent by redemptionId within the group.
 */
@Injectable()
export class RedeemPointsHandler {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly ledger: PointsLedgerRepository,
    private readonly commands: IdempotentCommands,
  ) {}

  execute(caller: AuthenticatedUser, body: CreateRedemptionDto): Promise<IdempotentReply<RedemptionDto>> {
    const { groupId } = caller;
    const { redemptionId, points } = body;
    const key = { kind: 'redemption', groupId, businessId: redemptionId } as const;
    // Outside the transaction first: a group that plainly has too few points is refused without
    // one (the hot-group case, where most of a burst finds the points gone). The writer checks
    // again on the transaction's own snapshot.
    const precheck = async () => {
      const balance = (await this.ledger.account(groupId))?.balance ?? 0;
      if (balance < points) throw insufficientPoints(balance, points);
    };
    const print = fingerprint({ redemptionId, points });
    return this.commands.run(
      key,
      print,
      async () => {
        const now = new Date();
        const spent = await this.writer.spend({
          type: 'REDEEM',
          groupId,
          points,
          reference: redemptionId,
          actorId: caller.userId,
          at: now,
        });
        return {
          redemptionId,
          points,
          balance: spent.account.balance,
          spent: spent.payers.map((p) => ({ payer: p.payer, points: -p.points })),
          createdAt: now.toISOString(),
        };
      },
      precheck,
    );
  }
}
