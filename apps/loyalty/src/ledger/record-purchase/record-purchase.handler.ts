import { Injectable } from '@nestjs/common';
import type { CreatePurchaseDto, IdempotentReply, PurchaseDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { LoyaltySettings } from '../../loyalty.settings';
import { earnedPoints, parseAmount } from '../domain/money';
import { requestScope } from '../domain/request-scope';
import { parseTransactionTime } from '../domain/timestamps';
import type { Member } from '../ports/member-directory';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';
import { fingerprint, IdempotentCommands } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';

export const DEFAULT_PAYER = 'STORE';

/**
 * A purchase an API client (a till, a shop's back end) reports for a member earns floor(amount ×
 * earn rate) points for the member's group, funded by its payer (STORE by default) as a lot dated
 * by when the purchase happened. One transaction: the account, the lot, the EARN entry and the
 * purchase record (the idempotency key). Idempotent by purchaseId per client: the member is part
 * of the request, so the same id for another member is a conflict.
 */
@Injectable()
export class RecordPurchaseHandler {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly ledger: PointsLedgerRepository,
    private readonly commands: IdempotentCommands,
    private readonly settings: LoyaltySettings,
  ) {}

  execute(
    client: AuthenticatedUser,
    member: Member,
    body: CreatePurchaseDto,
  ): Promise<IdempotentReply<PurchaseDto>> {
    const currency = body.currency ?? this.settings.defaultCurrency;
    const amount = parseAmount(body.amount, currency);
    const payer = body.payer ?? DEFAULT_PAYER;
    const storeId = body.storeId ?? null;
    const occurredAt = body.occurredAt
      ? parseTransactionTime(body.occurredAt, 'occurredAt', new Date())
      : undefined;
    const points = earnedPoints(amount.value, this.settings.earnRate);
    const { groupId, userId } = member;
    const print = fingerprint({
      purchaseId: body.purchaseId,
      userId,
      amount: amount.text,
      currency,
      payer,
      storeId,
      occurredAt: occurredAt?.toISOString() ?? null,
    });
    const key = {
      kind: 'purchase',
      scope: requestScope(client, groupId),
      businessId: body.purchaseId,
    } as const;
    return this.commands.run(key, groupId, print, async () => {
      const now = new Date();
      const at = occurredAt ?? now;
      // A purchase too small to earn a point is recorded without touching the ledger.
      const account =
        points > 0
          ? await this.writer.earn({
              type: 'EARN',
              groupId,
              payer,
              points,
              fundedAt: at,
              reference: body.purchaseId,
              actorId: client.userId,
              at: now,
            })
          : await this.ledger.account(groupId);
      return {
        purchaseId: body.purchaseId,
        groupId,
        userId,
        clientId: client.userId,
        amount: amount.text,
        currency,
        payer,
        storeId,
        occurredAt: at.toISOString(),
        pointsEarned: points,
        balance: account?.balance ?? 0,
        createdAt: now.toISOString(),
      };
    });
  }
}
