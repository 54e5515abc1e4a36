import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateRedemptionDto, IdempotentReply, RedemptionDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Balances, planRedemption, spendEntries } from '../domain/ledger-rules';
import { insufficientPoints } from '../domain/payer-lots';
import { fingerprint, IdempotentCommands } from '../idempotent-commands';
import { PointsLedgerRepository } from '../ledger.repository';

/**
 * A redemption spends the group's oldest points first, across payers, in one transaction: the
 * lots (each only if it still holds what the plan takes), the account (only if no balance goes
 * below zero), one REDEEM entry per payer portion and the redemption record. 422
 * INSUFFICIENT_POINTS writes nothing. Idempotent by redemptionId within the group.
 */
@Injectable()
export class RedeemPointsHandler {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly commands: IdempotentCommands,
  ) {}

  execute(caller: AuthenticatedUser, body: CreateRedemptionDto): Promise<IdempotentReply<RedemptionDto>> {
    const { groupId } = caller;
    const { redemptionId, points } = body;
    const key = { kind: 'redemption', groupId, businessId: redemptionId } as const;
    // Outside the transaction first: a group that plainly has too few points is refused without
    // one (the hot-group case, where most of a burst finds the points gone). The transaction
    // checks again on its own snapshot.
    const precheck = async () => {
      const balance = (await this.ledger.account(groupId))?.balance ?? 0;
      if (balance < points) throw insufficientPoints(balance, points);
    };
    const print = fingerprint({ redemptionId, points });
    return this.commands.run(
      key,
      print,
      async () => {
        const account: Balances = (await this.ledger.account(groupId)) ?? { balance: 0, byPayer: {} };
        const lots = account.balance >= points ? await this.ledger.openLots(groupId, points) : [];
        const plan = planRedemption(account, lots, points);
        await this.ledger.spendLots(plan.lots);
        const after = await this.ledger.debit(groupId, plan.payers);
        const now = new Date();
        const drafts = spendEntries('REDEEM', after.balance + points, plan.payers);
        const firstSeq = after.seq - drafts.length + 1;
        await this.ledger.appendEntries(
          drafts.map((draft, i) => ({
            ...draft,
            entryId: randomUUID(),
            groupId,
            seq: firstSeq + i,
            reference: redemptionId,
            createdAt: now,
            actorId: caller.userId,
          })),
        );
        return {
          redemptionId,
          points,
          balance: after.balance,
          spent: plan.payers.map((p) => ({ payer: p.payer, points: -p.points })),
          createdAt: now.toISOString(),
        };
      },
      precheck,
    );
  }
}
