import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS, type CreateRedemptionDto, type IdempotentReply, type RedemptionDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { insufficientPoints } from '../domain/ledger.errors';
import { requestScope } from '../domain/request-scope';
import type { Member } from '../ports/member-directory';
import { Clock } from '../ports/clock';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';
import { fingerprint, IdempotentCommands, WithDetail } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';

/**
 * A redemption spends the group's oldest points first, across payers, in one transaction: the
 * lots, the account, one REDEEM entry per payer portion and the redemption record. 422
 * INSUFFICIENT_POINTS writes nothing. The record keeps the lots the points came from, for a
 * reversal; the `points.redeemed` event goes out with it. A member redeems their own group's points, idempotent by
 * redemptionId within the group; an API client (a till) redeems the member's it names, idempotent
 * by redemptionId per client.
 */
@Injectable()
export class RedeemPointsHandler {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly ledger: PointsLedgerRepository,
    private readonly commands: IdempotentCommands,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
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
    // one (the hot-group case, where most of a burst finds the points gone). Only when nothing is
    // due: pending points maturing since the last write would make the stored balance too low.
    // The writer checks again on the transaction's own snapshot.
    const precheck = async () => {
      const account = await this.ledger.account(groupId);
      if (account && account.nextChangeAt <= this.clock.now()) return;
      const balance = account?.balance ?? 0;
      if (balance < points) throw insufficientPoints(balance, points);
    };
    // A client's request names the member (a member's never does: it fingerprints as before).
    const print = fingerprint({ redemptionId, points, userId: body.userId });
    return this.commands.run(
      key,
      groupId,
      print,
      async () => {
        const now = this.clock.now();
        const spent = await this.writer.spend({
          type: 'REDEEM',
          groupId,
          points,
          reference: redemptionId,
          actorId: caller.userId,
          at: now,
        });
        const response = {
          redemptionId,
          points,
          balance: spent.account.balance,
          spent: spent.payers.map((p) => ({ payer: p.payer, points: -p.points })),
          createdAt: now.toISOString(),
        };
        await this.outbox.add(EVENTS.pointsRedeemed, {
          eventId: randomUUID(),
          occurredAt: now.toISOString(),
          groupId,
          redemptionId,
          actorId: caller.userId,
          points,
          spent: response.spent,
          balance: response.balance,
        });
        return new WithDetail(response, { allocations: spent.lots });
      },
      precheck,
    );
  }
}
