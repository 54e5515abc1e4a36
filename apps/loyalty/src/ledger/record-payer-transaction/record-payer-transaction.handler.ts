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
import { lotDates } from '../domain/points-policy';
import { requestScope } from '../domain/request-scope';
import { parseTransactionTime } from '../domain/timestamps';
import { Clock } from '../ports/clock';
import { fingerprint, IdempotentCommands, WithDetail } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';
import { ProgrammeSettings } from '../services/programme-settings';

/**
 * A payer transaction, by an admin (manual adjustments) or an API client with
 * payer-transactions:write (the payer feed): positive points add a lot
 * dated `timestamp`, available at once and expiring after the policy's expiryDays; negative points
 * take that payer's oldest available points (and keep which, so a late, older lot can take them
 * over), refused with 422
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
    private readonly programme: ProgrammeSettings,
    private readonly clock: Clock,
  ) {}

  execute(
    caller: AuthenticatedUser,
    groupId: string,
    body: CreatePayerTransactionDto,
  ): Promise<IdempotentReply<PayerTransactionDto>> {
    const { transactionId, payer, points, reason } = body;
    const timestamp = body.timestamp
      ? parseTransactionTime(body.timestamp, 'timestamp', this.clock.now())
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
      const now = this.clock.now();
      const at = timestamp ?? now;
      const write = {
        type: 'ADJUST',
        groupId,
        payer,
        reference: transactionId,
        actorId: caller.userId,
        at: now,
        reason,
      } as const;
      let detail: WithDetail<unknown>['detail'] | undefined;
      let account;
      if (points > 0) {
        const dates = lotDates(await this.programme.policy(), at, false);
        account = (await this.writer.earn({ ...write, points, fundedAt: at, dates })).account;
      } else {
        const spent = await this.writer.spend({ ...write, points: -points });
        account = spent.account;
        // Dated like the transaction: its place among the payer's debits when lots come late.
        detail = { payer, allocations: spent.lots };
      }
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
      const response: PayerTransactionDto = {
        transactionId,
        groupId,
        payer,
        points,
        timestamp: at.toISOString(),
        balance: account.balance,
        reason,
        createdAt: now.toISOString(),
      };
      return detail ? new WithDetail(response, detail) : response;
    });
  }
}
