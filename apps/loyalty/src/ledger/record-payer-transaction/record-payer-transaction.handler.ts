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
import { requestScope } from '../domain/request-scope';
import { parseTransactionTime } from '../domain/timestamps';
import { fingerprint, IdempotentCommands } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';

/**
 * A payer transaction, by an admin (manual adjustments) or an API client with
 * payer-transactions:write (the payer feed): positive points add a lot
 * dated `timestamp`; negative points take that payer's oldest points, refused with 422
 * INSUFFICIENT_PAYER_POINTS when the payer would go below zero. The same transaction adds the
 * ADJUST entry, the transaction record, and two outbox events: `audit.recorded` (the audit log)
 * and `loyalty.points.adjusted` (members are told). Idempotent by transactionId within the group
 * for admins, and per client for API clients (the same id for another group is a conflict).
 */
@Injectable()
export class RecordPayerTransactionHandler {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly commands: IdempotentCommands,
    private readonly outbox: Outbox,
  ) {}

  execute(
    caller: AuthenticatedUser,
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
    const key = {
      kind: 'transaction',
      scope: requestScope(caller, groupId),
      businessId: transactionId,
    } as const;
    return this.commands.run(key, groupId, print, async () => {
      const now = new Date();
      const at = timestamp ?? now;
      const write = {
        type: 'ADJUST',
        groupId,
        payer,
        reference: transactionId,
        actorId: caller.userId,
        at: now,
      } as const;
      const account =
        points > 0
          ? await this.writer.earn({ ...write, points, fundedAt: at })
          : (await this.writer.spend({ ...write, points: -points })).account;
      await this.outbox.add(EVENTS.auditRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        actorId: caller.userId,
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
}
