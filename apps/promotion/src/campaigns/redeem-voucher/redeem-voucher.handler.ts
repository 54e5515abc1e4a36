import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS, type RedeemedVoucherDto } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { UnitOfWork } from '@lib/persistence';
import { redemptionRefusal } from '../domain/voucher';
import { CampaignsRepository } from '../ports/campaigns.repository';
import { VouchersRepository } from '../ports/vouchers.repository';

/**
 * Single-use redemption, idempotent per order: one conditional update redeems an available
 * voucher and counts it on its campaign, with its `promotion.voucher.redeemed` event, in one
 * transaction. Of concurrent redemptions for different orders exactly one applies (the others
 * conflict, retry, and find it redeemed); a replay of the same order answers again and announces
 * nothing.
 */
@Injectable()
export class RedeemVoucherHandler {
  constructor(
    private readonly vouchers: VouchersRepository,
    private readonly campaigns: CampaignsRepository,
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
  ) {}

  async execute(userId: string, voucherId: string, orderId: string): Promise<RedeemedVoucherDto> {
    return this.uow.run(async () => {
      const now = new Date();
      if (await this.vouchers.redeem(voucherId, userId, orderId, now)) {
        const { campaignId } = (await this.vouchers.findById(voucherId))!;
        await this.campaigns.countRedemption(campaignId);
        await this.outbox.add(EVENTS.voucherRedeemed, {
          eventId: randomUUID(),
          occurredAt: now.toISOString(),
          voucherId,
          campaignId,
          userId,
          orderId,
        });
        return { voucherId, status: 'REDEEMED', redeemedAt: now.toISOString(), orderId };
      }
      const voucher = await this.vouchers.findById(voucherId);
      const refusal = redemptionRefusal(voucher, userId, orderId, now);
      if (refusal) throw refusal;
      return { voucherId, status: 'REDEEMED', redeemedAt: voucher!.redeemedAt!.toISOString(), orderId };
    });
  }
}
