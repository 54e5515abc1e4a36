import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { addDays } from '../domain/points-policy';
import { type Decimal } from '../domain/money';
import {
  multiplierOf,
  type TierStanding,
  tierFor,
  tierStanding,
  tiersMatter,
  type TierTable,
} from '../domain/tiers';
import { AccountState, NEVER, PointsLedgerRepository } from '../ports/points-ledger.repository';
import { ProgrammeSettings } from './programme-settings';

export interface EarningTier {
  table: TierTable;
  multiplier: Decimal;
  multiplierText: string;
  /** Qualifying points before the purchase (null when tiers don't matter: nothing was counted). */
  qualifying: number | null;
}

const ONE: Decimal = { units: 1n, scale: 0 };

/**
 * A group's tier: the highest whose minPoints its qualifying points (EARN less refunds, in the
 * last qualifyingDays) reach. Purchases earn with the tier the group is in before them; the
 * purchase that crosses a tier moves the group up. The window rolling past old points moves it
 * down: the account keeps `tierReviewAt`, when its oldest qualifying points leave the window,
 * and the sweep looks again then. Each move is a `tier.changed` event.
 */
@Injectable()
export class TierKeeper {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly programme: ProgrammeSettings,
    private readonly outbox: Outbox,
  ) {}

  /** The multiplier a purchase earns with now. With one ×1 tier (the default) nothing is counted. */
  async forEarning(groupId: string, at: Date): Promise<EarningTier> {
    const table = await this.programme.tiers();
    if (!tiersMatter(table)) return { table, multiplier: ONE, multiplierText: '1', qualifying: null };
    const { points } = await this.ledger.qualifying(groupId, since(table, at));
    const tier = tierFor(table, points);
    return { table, multiplier: multiplierOf(tier), multiplierText: tier.earnMultiplier, qualifying: points };
  }

  async standing(groupId: string, at: Date): Promise<TierStanding> {
    const table = await this.programme.tiers();
    const { points } = await this.ledger.qualifying(groupId, since(table, at));
    return tierStanding(table, points);
  }

  /**
   * Looks at the group's tier again (after a purchase, a refund, or when its review is due) and
   * announces a move. Writes the account only when the tier or its review time changes.
   */
  async review(account: AccountState, at: Date, table?: TierTable, knownPoints?: number): Promise<void> {
    table ??= await this.programme.tiers();
    if (!tiersMatter(table) && account.tier === undefined) return;
    const lowest = table.tiers[0].name;
    const was = account.tier ?? lowest;
    if (knownPoints !== undefined && tierFor(table, knownPoints).name === was) {
      // Same tier, and its review time already set: a purchase never brings the review closer.
      const reviewSet = +account.tierReviewAt !== +NEVER;
      if (reviewSet === (was !== lowest)) return;
    }
    const { points, oldest } = await this.ledger.qualifying(account.groupId, since(table, at));
    const now = tierFor(table, points).name;
    const reviewAt = now !== lowest && oldest ? addDays(oldest, table.qualifyingDays) : NEVER;
    if (now === was && +reviewAt === +account.tierReviewAt) return;
    await this.ledger.change(account.groupId, { tier: now, tierReviewAt: reviewAt });
    if (now === was) return;
    const rank = (name: string) => table.tiers.findIndex((t) => t.name === name);
    await this.outbox.add(EVENTS.tierChanged, {
      eventId: randomUUID(),
      occurredAt: at.toISOString(),
      groupId: account.groupId,
      from: was,
      to: now,
      qualifyingPoints: points,
      direction: rank(now) > rank(was) ? 'UP' : 'DOWN',
    });
  }
}

function since(table: TierTable, at: Date): Date {
  return addDays(at, -table.qualifyingDays);
}
