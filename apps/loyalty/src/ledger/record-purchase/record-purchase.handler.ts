import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS, type CreatePurchaseDto, type IdempotentReply, type PurchaseDto } from '@lib/contracts';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { LoyaltySettings } from '../../loyalty.settings';
import { earnedPoints, formatDecimal, formatMinor, multiplyDecimals, parseAmount } from '../domain/money';
import { lotDates } from '../domain/points-policy';
import { requestScope } from '../domain/request-scope';
import { parseTransactionTime } from '../domain/timestamps';
import { Clock } from '../ports/clock';
import type { Member } from '../ports/member-directory';
import { fingerprint, IdempotentCommands, WithDetail } from '../services/idempotent-commands';
import { LedgerWriter } from '../services/ledger-writer';
import { ProgrammeSettings } from '../services/programme-settings';
import { TierKeeper } from '../services/tier-keeper';

export const DEFAULT_PAYER = 'STORE';

/**
 * A purchase an API client (a till, a shop's back end) reports for a member earns floor(amount ×
 * earn rate × the group's tier multiplier) points for the member's group, funded by its payer
 * (STORE by default) as a lot dated by when the purchase happened, pending for the policy's
 * pendingDays and expiring after its expiryDays. One transaction: the account, the lot, the EARN
 * entry, the purchase record (the idempotency key, which also keeps the rate for refunds) and the
 * `purchase.recorded` event. Idempotent by purchaseId per client: the member is part of the
 * request, so the same id for another member is a conflict.
 */
@Injectable()
export class RecordPurchaseHandler {
  constructor(
    private readonly writer: LedgerWriter,
    private readonly commands: IdempotentCommands,
    private readonly settings: LoyaltySettings,
    private readonly programme: ProgrammeSettings,
    private readonly tiers: TierKeeper,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
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
      ? parseTransactionTime(body.occurredAt, 'occurredAt', this.clock.now())
      : undefined;
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
      const now = this.clock.now();
      const at = occurredAt ?? now;
      const [policy, tier] = await Promise.all([
        this.programme.policy(),
        this.tiers.forEarning(groupId, now),
      ]);
      const rate = multiplyDecimals(this.settings.earnRate, tier.multiplier);
      const points = earnedPoints(amount.value, rate);
      const dates = lotDates(policy, at, true);
      // A purchase too small to earn a point is recorded without touching the ledger.
      const earned =
        points > 0
          ? await this.writer.earn({
              type: 'EARN',
              groupId,
              payer,
              points,
              fundedAt: at,
              dates,
              reference: body.purchaseId,
              actorId: client.userId,
              at: now,
              // Without tiers no review reads the lots back: the lot is written at commit.
              noLotReadsAfter: tier.qualifying === null,
            })
          : null;
      const account = earned?.account ?? (await this.writer.current(groupId, now));
      if (earned && tier.qualifying !== null) {
        await this.tiers.review(earned.account, now, tier.table, tier.qualifying + points);
      }
      const response: PurchaseDto = {
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
        earnMultiplier: tier.multiplierText,
        status: earned?.pending ? 'PENDING' : 'AVAILABLE',
        availableAt: dates.availableAt.toISOString(),
        expiresAt: dates.expiresAt?.toISOString() ?? null,
        refundedAmount: formatMinor(0, amount.value.scale),
        balance: account?.balance ?? 0,
        createdAt: now.toISOString(),
      };
      await this.outbox.add(EVENTS.purchaseRecorded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        groupId,
        purchaseId: body.purchaseId,
        userId,
        clientId: client.userId,
        amount: amount.text,
        currency,
        payer,
        points,
        status: response.status,
        purchasedAt: response.occurredAt,
        availableAt: response.availableAt,
        expiresAt: response.expiresAt,
        balance: response.balance,
      });
      return new WithDetail(response, {
        lotId: earned?.lotId ?? null,
        currency,
        minorUnits: amount.value.scale,
        amountMinor: Number(amount.value.units),
        refundedMinor: 0,
        rate: formatDecimal(rate),
        pointsEarned: points,
        refundedPoints: 0,
      });
    });
  }
}
