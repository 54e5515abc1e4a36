import { Injectable } from '@nestjs/common';
import type { CreatePurchaseDto, IdempotentReply, PurchaseDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { LoyaltySettings } from '../../loyalty.settings';
import { earnedPoints, parseAmount } from '../domain/money';
import { parseTransactionTime } from '../domain/timestamps';
import { PointsLedgerRepository } from '../ports/points-ledger.repository';
import { fingerprint, IdempotentCommands } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';

export const DEFAULT_PAYER = 'STORE';

/**
 * A purchase earns floor(amount × earn rate) points, funded by its payer (STORE by default) as a
 * lot dated by when the purchase happened. One transaction: the account, the lot, the EARN entry
 * and the purchase record (the idempotency key). Idempotent by purchaseId within the group.
 */
@Injectable()
export class RecordPurchaseHandler {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly ledger: PointsLedgerRepository,
    private readonly commands: IdempotentCommands,
    private readonly settings: LoyaltySettings,
  ) {}

  execute(caller: AuthenticatedUser, body: CreatePurchaseDto): Promise<IdempotentReply<PurchaseDto>> {
    const currency = body.currency ?? this.settings.defaultCurrency;
    const amount = parseAmount(body.amount, currency);
    const payer = body.payer ?? DEFAULT_PAYER;
    const storeId = body.storeId ?? null;
    const occurredAt = body.occurredAt
      ? parseTransactionTime(body.occurredAt, 'occurredAt', new Date())
      : undefined;
    const points = earnedPoints(amount.value, this.settings.earnRate);
    const { groupId } = caller;
    const print = fingerprint({
      purchaseId: body.purchaseId,
      amount: amount.text,
      currency,
      payer,
      storeId,
      occurredAt: occurredAt?.toISOString() ?? null,
    });
    const key = { kind: 'purchase', groupId, businessId: body.purchaseId } as const;
    return this.commands.run(key, print, async () => {
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
              actorId: caller.userId,
              at: now,
            })
          : await this.ledger.account(groupId);
      return {
        purchaseId: body.purchaseId,
        groupId,
        userId: caller.userId,
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
