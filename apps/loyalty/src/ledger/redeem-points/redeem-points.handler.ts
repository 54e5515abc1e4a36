import { Injectable } from '@nestjs/common';
import type { CreateRedemptionDto, IdempotentReply, RedemptionDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { insufficientPoints } from '../domain/ledger.errors';
import { requestScope } from '../domain/request-scope';
import type { Member } from '../ports/member-directory';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';
import { fingerprint, IdempotentCommands } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';

/**
 * A redemption spends the group's oldest points first, across payers, in one transaction: the
 * lots, the account, one REDEEM entry per payer portion and the redemption record. 422
 * INSUFFICIENT_POINTS writes nothing. A member redeems their own group's points, idempotent by
 * redemptionId within the group; an API client (a till) redeems the member's it names, idempotent
 * by redemptionId per client.
 */
@Injectable()
export class RedeemPointsHandler {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly ledger: PointsLedgerRepository,
    private readonly commands: IdempotentCommands,
  ) {}

  execute(
    caller: AuthenticatedUser,
    member: Member,
    body: CreateRedemptionDto,
  ): Promise<IdempotentReply<RedemptionDto>> {
    const { groupId } = member;
    const { redemptionId, points } = body;
    const key = {
      kind: 'redemption',
      scope: requestScope(caller, groupId),
      businessId: redemptionId,
    } as const;
    // Outside the transaction first: a group that plainly has too few points is refused without
    // one (the hot-group case, where most of a burst finds the points gone). The writer checks
    // again on the transaction's own snapshot.
    const precheck = async () => {
      const balance = (await this.ledger.account(groupId))?.balance ?? 0;
      if (balance < points) throw insufficientPoints(balance, points);
    };
    // A client's request names the member (a member's never does: it fingerprints as before).
    const print = fingerprint({ redemptionId, points, userId: body.userId });
    return this.commands.run(
      key,
      groupId,
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
