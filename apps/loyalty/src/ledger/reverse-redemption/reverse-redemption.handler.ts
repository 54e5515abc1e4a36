import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AUDIT_ACTIONS,
  auditTarget,
  EVENTS,
  type CreateReversalDto,
  type IdempotentReply,
  type RedemptionDto,
  type ReversalDto,
} from '@lib/contracts';
import { NotFound } from '@lib/errors';
import { redemptionAmbiguous, redemptionUntraceable } from '../domain/ledger.errors';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { Clock } from '../ports/clock';
import { RequestKey, RequestLog, RequestRecord, SpendDetail } from '../ports/request-log.repository';
import { IdempotentCommands } from '../services/idempotent-commands';
import { LedgerCorrections } from '../services/ledger-corrections';

/**
 * An API client (redemptions:write) reverses a redemption it made, or an admin any redemption:
 * the exact points go back to the exact lots they came from (LedgerCorrections.giveBack). Once
 * only: the redemption record keeps the reversal, and every later call gets that answer.
 */
@Injectable()
export class ReverseRedemptionHandler {
  constructor(
    private readonly requests: RequestLog,
    private readonly commands: IdempotentCommands,
    private readonly corrections: LedgerCorrections,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(
    caller: AuthenticatedUser,
    redemptionId: string,
    body: CreateReversalDto,
  ): Promise<IdempotentReply<ReversalDto>> {
    const found = await this.redemption(caller, redemptionId);
    const key: RequestKey = { kind: 'redemption', scope: found.scope, businessId: redemptionId };
    return this.commands.exclusive(found.groupId, async () => {
      const record = (await this.requests.find<RedemptionDto>(key))!;
      const detail = record.detail as SpendDetail | undefined;
      if (detail?.reversal) return { created: false, body: detail.reversal as ReversalDto };
      if (!detail) throw redemptionUntraceable();
      const now = this.clock.now();
      const given = await this.corrections.giveBack({
        groupId: record.groupId,
        reference: redemptionId,
        actorId: caller.userId,
        at: now,
        reason: body.reason,
        allocations: detail.allocations.map((a) => ({ ...a, timestamp: new Date(a.timestamp) })),
      });
      const response: ReversalDto = {
        redemptionId,
        groupId: record.groupId,
        pointsRestored: given.restored,
        pointsExpired: given.expired,
        balance: given.account.balance,
        reason: body.reason,
        createdAt: now.toISOString(),
      };
      // The record's own condition: of two racing reversals, only one commits.
      if (!(await this.requests.setReversal(key, response)))
        throw new Error('the redemption was reversed meanwhile');
      await this.outbox.add(EVENTS.pointsReversed, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        groupId: record.groupId,
        redemptionId,
        actorId: caller.userId,
        pointsRestored: given.restored,
        pointsExpired: given.expired,
        balance: given.account.balance,
        reason: body.reason,
      });
      if (caller.roles.includes('admin')) {
        await this.outbox.add(EVENTS.auditRecorded, {
          eventId: randomUUID(),
          occurredAt: now.toISOString(),
          actorId: caller.userId,
          action: AUDIT_ACTIONS.redemptionReversed,
          target: auditTarget('group', record.groupId),
          details: { redemptionId, pointsRestored: given.restored, reason: body.reason },
        });
      }
      return { created: true, body: response };
    });
  }

  /** A client's own redemption; for an admin, the one redemption with that id in any scope. */
  private async redemption(caller: AuthenticatedUser, redemptionId: string): Promise<RequestRecord<unknown>> {
    const records = caller.clientId
      ? [await this.requests.find({ kind: 'redemption', scope: caller.clientId, businessId: redemptionId })]
      : await this.requests.findEverywhere('redemption', redemptionId);
    const found = records.filter((r): r is RequestRecord<unknown> => !!r);
    if (!found.length) throw new NotFound(`redemption ${redemptionId}`);
    if (found.length > 1) throw redemptionAmbiguous(redemptionId, found.length);
    return found[0];
  }
}
