import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EVENTS, type UserLoggedInV1 } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { allocateFirstLogins } from '../domain/first-login-allocation';
import { Voucher, voucherExpiry } from '../domain/voucher';
import { randomVoucherCode } from '../domain/voucher-code';
import { CampaignsRepository } from '../ports/campaigns.repository';
import { VouchersRepository } from '../ports/vouchers.repository';

/** The campaign changed between this transaction's read and its write: retry the whole thing. */
export class CampaignChangedConcurrently extends Error {}

/**
 * Issues the vouchers earned by a batch of first logins. Runs inside the consumer's unit of work,
 * which also records the events as processed, so all of it commits together or not at all:
 * - each login goes to the FIRST_LOGIN campaign issuing at the time of the login, if its account
 *   is eligible (created before the campaign's eligibility.registeredBefore, when it sets one);
 * - users who already hold one of its vouchers (an earlier event, another replica) get none;
 * - `remaining` is taken down once by the number issued, on condition that that many are left,
 *   and the vouchers are inserted (unique per campaign and user, and by code), with one
 *   `promotion.vouchers.issued` event listing them in the outbox.
 * Earliest logins win when fewer vouchers are left than logins. Returns the vouchers issued.
 */
@Injectable()
export class IssueVouchersHandler {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly vouchers: VouchersRepository,
    private readonly outbox: Outbox,
  ) {}

  /**
   * `lookUpHolders: false` skips the query for users who already hold a voucher and lets the
   * unique index refuse them instead: a batch saves a round trip, and on the rare refusal the
   * consumer redoes the batch one event at a time, with the lookup.
   */
  async execute(
    events: UserLoggedInV1[],
    options: { lookUpHolders: boolean } = { lookUpHolders: true },
  ): Promise<number> {
    const logins = events
      .filter((e) => e.firstLogin)
      .map((e) => ({
        eventId: e.eventId,
        userId: e.userId,
        at: new Date(e.occurredAt),
        registeredAt: e.registeredAt ? new Date(e.registeredAt) : null,
      }));
    if (!logins.length) return 0;
    // The allocation deals in logins; the issued event also names the member's group.
    const groupOfLogin = new Map(events.map((e) => [e.eventId, e.groupId]));
    const active = await this.campaigns.findActive('FIRST_LOGIN');
    if (!active.some((c) => c.remaining > 0)) return 0;

    let issued = 0;
    const now = new Date();
    for (const { campaign, logins: candidates } of allocateFirstLogins(logins, active)) {
      if (campaign.remaining === 0) continue;
      const holders = options.lookUpHolders
        ? await this.vouchers.holders(
            campaign.campaignId,
            candidates.map((l) => l.userId),
          )
        : new Set<string>();
      const winners = candidates.filter((l) => !holders.has(l.userId)).slice(0, campaign.remaining);
      if (!winners.length) continue;
      if (!(await this.campaigns.takeVouchers(campaign.campaignId, winners.length))) {
        throw new CampaignChangedConcurrently(`campaign ${campaign.campaignId} changed while issuing`);
      }
      const vouchers: Voucher[] = winners.map((login) => ({
        voucherId: randomUUID(),
        code: randomVoucherCode(randomBytes),
        campaignId: campaign.campaignId,
        userId: login.userId,
        description: campaign.description,
        discountPercent: campaign.discountPercent,
        issuedAt: now,
        expiresAt: voucherExpiry(now, campaign.voucherValidDays),
        redeemedAt: null,
        orderId: null,
        eventId: login.eventId,
      }));
      await this.vouchers.insertMany(vouchers);
      await this.outbox.add(EVENTS.vouchersIssued, {
        eventId: randomUUID(),
        occurredAt: now.toISOString(),
        vouchers: vouchers.map((voucher) => ({
          voucherId: voucher.voucherId,
          campaignId: voucher.campaignId,
          userId: voucher.userId,
          groupId: groupOfLogin.get(voucher.eventId)!,
          discountPercent: voucher.discountPercent,
          expiresAt: voucher.expiresAt.toISOString(),
        })),
      });
      issued += vouchers.length;
    }
    return issued;
  }
}
