import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  EVENTS,
  type CreateRefundDto,
  type IdempotentReply,
  type PurchaseDto,
  type RefundDto,
} from '@lib/contracts';
import { NotFound } from '@lib/errors';
import type { AuthenticatedUser } from '@lib/jwt';
import { Outbox } from '@lib/messaging';
import { LoyaltySettings } from '../../loyalty.settings';
import { currencyMinorUnits, formatDecimal, parseAmount, parseDecimal } from '../domain/money';
import { checkRefundable, refundPoints, type RefundablePurchase } from '../domain/refund-rules';
import { requestScope } from '../domain/request-scope';
import { Clock } from '../ports/clock';
import { PurchaseDetail, RequestKey, RequestLog, RequestRecord } from '../ports/request-log.repository';
import { fingerprint, IdempotentCommands } from '../services/idempotent-commands';
import { LedgerCorrections } from '../services/ledger-corrections';
import { TierKeeper } from '../services/tier-keeper';

/**
 * An API client refunds (part of) a purchase it recorded: floor(amount × the rate the purchase
 * earned at) points come back, first from the purchase's own lot, then from the group's oldest
 * available points; what was already spent is `unrecovered`. Refunds add up to at most the
 * purchase's amount (422 REFUND_EXCEEDS_PURCHASE), checked again by the purchase record's own
 * conditional update, so concurrent refunds can't overshoot. Idempotent by refundId per client.
 */
@Injectable()
export class RefundPurchaseHandler {
  constructor(
    private readonly requests: RequestLog,
    private readonly commands: IdempotentCommands,
    private readonly corrections: LedgerCorrections,
    private readonly tiers: TierKeeper,
    private readonly outbox: Outbox,
    private readonly settings: LoyaltySettings,
    private readonly clock: Clock,
  ) {}

  async execute(
    client: AuthenticatedUser,
    purchaseId: string,
    body: CreateRefundDto,
  ): Promise<IdempotentReply<RefundDto>> {
    const scope = requestScope(client, '');
    const purchaseKey: RequestKey = { kind: 'purchase', scope, businessId: purchaseId };
    const purchase = await this.requests.find<PurchaseDto>(purchaseKey);
    if (!purchase) throw new NotFound(`purchase ${purchaseId}`);
    const { groupId } = purchase;
    const amount = parseAmount(body.amount, purchase.response.currency);
    const amountMinor = Number(amount.value.units);
    const print = fingerprint({ refundId: body.refundId, purchaseId, amount: amount.text });
    const key: RequestKey = { kind: 'refund', scope, businessId: body.refundId };
    return this.commands.run(key, groupId, print, async () => {
      const now = this.clock.now();
      const record = (await this.requests.find<PurchaseDto>(purchaseKey))!;
      const detail = purchaseDetail(record, this.settings);
      const refundable = refundableOf(detail);
      checkRefundable(refundable, amountMinor, amount.text);
      const points = refundPoints(refundable, amountMinor);
      if (!(await this.requests.addRefund(purchaseKey, amountMinor, points, detail))) {
        checkRefundable({ ...refundable, refundedMinor: refundable.amountMinor }, amountMinor, amount.text);
      }
      const taken = await this.corrections.takeBack({
        groupId,
        reference: body.refundId,
        actorId: client.userId,
        at: now,
        lotId: detail.lotId,
        points,
      });
      await this.tiers.review(taken.account, now);
      const pointsReversed = points - taken.unrecovered;
      const response: RefundDto = {
        refundId: body.refundId,
        purchaseId,
        groupId,
        amount: amount.text,
        currency: detail.currency,
        pointsReversed,
        unrecovered: taken.unrecovered,
        balance: taken.account.balance,
        createdAt: now.toISOString(),
      };
      await this.outbox.add(EVENTS.purchaseRefunded, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        groupId,
        purchaseId,
        refundId: body.refundId,
        clientId: client.userId,
        amount: amount.text,
        currency: detail.currency,
        pointsReversed,
        unrecovered: taken.unrecovered,
        balance: taken.account.balance,
      });
      return response;
    });
  }
}

/**
 * A purchase recorded before refunds existed has no detail: it earned at the configured rate
 * (tiers came with refunds), and its lot isn't known, so its points come back oldest first.
 */
function purchaseDetail(record: RequestRecord<PurchaseDto>, settings: LoyaltySettings): PurchaseDetail {
  if (record.detail) return record.detail as PurchaseDetail;
  const { currency, amount, pointsEarned } = record.response;
  const minorUnits = currencyMinorUnits(currency) ?? 2;
  const value = parseDecimal(amount)!;
  return {
    lotId: null,
    currency,
    minorUnits,
    amountMinor: Number(value.units * 10n ** BigInt(minorUnits - value.scale)),
    refundedMinor: 0,
    rate: formatDecimal(settings.earnRate),
    pointsEarned,
    refundedPoints: 0,
  };
}

function refundableOf(detail: PurchaseDetail): RefundablePurchase {
  return { ...detail, rate: parseDecimal(detail.rate)! };
}
