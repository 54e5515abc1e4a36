import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AUDIT_ACTIONS,
  auditTarget,
  EVENTS,
  type CreatePayerTransactionDto,
  type IdempotentReply,
  type PayerTransactionDto,
} from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { Balances, planPayerDebit } from '../domain/ledger-rules';
import { parseTransactionTime } from '../domain/timestamps';
import { fingerprint, IdempotentCommands } from '../idempotent-commands';
import { AccountState, PointsLedgerRepository } from '../ledger.repository';

/**
 * An admin payer transaction (the payer feed, and manual adjustments): positive points add a lot
 * dated `timestamp`; negative points take that payer's oldest points, refused with 422
 * INSUFFICIENT_PAYER_POINTS when the payer would go below zero. The same transaction adds the
 * ADJUST entry, the transaction record, and two outbox events: `audit.recorded` (the audit log)
 * and `loyalty.points.adjusted` (members are told). Idempotent by transactionId within the group.
 */
@Injectable()
export class RecordPayerTransactionHandler {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly commands: IdempotentCommands,
    private readonly outbox: Outbox,
  ) {}

  execute(
    admin: AuthenticatedUser,
    groupId: string,
    body: CreatePayerTransactionDto,
  ): Promise<IdempotentReply<PayerTransactionDto>> {
    const { transactionId, payer, points, reason } = body;
    const timestamp = body.timestamp
      ? parseTransactionTime(body.timestamp, 'timestamp', new Date())
      : undefined;
    const print = fingerprint({
      transactionId,
      payer,
      points,
      reason,
      timestamp: timestamp?.toISOString() ?? null,
    });
    const key = { kind: 'transaction', groupId, businessId: transactionId } as const;
    return this.commands.run(key, print, async () => {
      const now = new Date();
      const at = timestamp ?? now;
      const after = points > 0 ? await this.credit(groupId, payer, points, at, transactionId) : undefined;
      const account = after ?? (await this.debit(groupId, payer, -points));
      const entrySeq = account.seq;
      await this.ledger.appendEntries([
        {
          entryId: randomUUID(),
          groupId,
          seq: entrySeq,
          type: 'ADJUST',
          points,
          payer,
          reference: transactionId,
          balanceAfter: account.balance,
          createdAt: now,
          actorId: admin.userId,
        },
      ]);
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        actorId: admin.userId,
        action: AUDIT_ACTIONS.pointsAdjusted,
        target: auditTarget('group', groupId),
        details: { transactionId, payer, points, reason },
      });
      await this.outbox.add(EVENTS.pointsAdjusted, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        groupId,
        transactionId,
        payer,
        points,
        balance: account.balance,
        reason,
      });
      return {
        transactionId,
        groupId,
        payer,
        points,
        timestamp: at.toISOString(),
        balance: account.balance,
        reason,
        createdAt: now.toISOString(),
      };
    });
  }

  private async credit(
    groupId: string,
    payer: string,
    points: number,
    at: Date,
    reference: string,
  ): Promise<AccountState> {
    const account = await this.ledger.credit(groupId, payer, points);
    await this.ledger.addLot({
      lotId: randomUUID(),
      groupId,
      payer,
      timestamp: at,
      seq: account.seq,
      points,
      remaining: points,
      reference,
    });
    return account;
  }

  private async debit(groupId: string, payer: string, points: number): Promise<AccountState> {
    const account: Balances = (await this.ledger.account(groupId)) ?? { balance: 0, byPayer: {} };
    const enough = (account.byPayer[payer] ?? 0) >= points;
    const lots = enough ? await this.ledger.openLots(groupId, points, payer) : [];
    const plan = planPayerDebit(account, lots, payer, points);
    await this.ledger.spendLots(plan.lots);
    return this.ledger.debit(groupId, plan.payers);
  }
}
