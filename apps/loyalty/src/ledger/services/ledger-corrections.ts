import { Injectable } from '@nestjs/common';
import { EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { byPayerOf, type EntryDraft } from '../domain/ledger-rules';
import { addToDelta, emptyDelta, type ExpiredLot } from '../domain/lot-settlement';
import { planRefund, type RefundPlan } from '../domain/refund-rules';
import type { LotSpend } from '../domain/payer-lots';
import { AccountState, LotChange, NEVER, PointsLedgerRepository } from '../ports/points-ledger.repository';

const emptyAccount = (groupId: string): AccountState => ({
  groupId,
  balance: 0,
  pending: 0,
  byPayer: {},
  seq: 0,
  nextChangeAt: NEVER,
  debitedPayers: [],
  tierReviewAt: NEVER,
});
import { expiredEvent } from './expired-points';
import { LedgerWrite, LedgerWriter } from './ledger-writer';

export interface TakeBack extends LedgerWrite {
  /** The refunded purchase's lot (null when it earned nothing). */
  lotId: string | null;
  /** floor(amount × the purchase's rate), capped at what it earned and isn't refunded. */
  points: number;
}

export interface TakenBack extends RefundPlan {
  account: AccountState;
}

export interface GiveBack extends LedgerWrite {
  /** The lots the redemption took its points from. */
  allocations: LotSpend[];
}

export interface GivenBack {
  account: AccountState;
  restored: number;
  /** Of `restored`, the points whose lot had expired meanwhile: they expired again at once. */
  expired: number;
}

/**
 * Refunds and reversals: the writes that undo earlier ones. Both settle what is due first (like
 * every write), keep each lot's books (points = remaining + spent + expired + refunded) and the
 * account's counters in step, and refuse (the adapter throws) any change that would take a
 * balance below zero.
 */
@Injectable()
export class LedgerCorrections {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly writer: LedgerWriter,
    private readonly outbox: Outbox,
  ) {}

  /**
   * A refund takes the points back from the purchase's own lot first (pending or not), then from
   * the group's other available points, oldest first; the rest is `unrecovered`. The purchase
   * stops qualifying for tiers by all of them, recovered or not.
   */
  async takeBack(refund: TakeBack): Promise<TakenBack> {
    const { groupId, points, lotId } = refund;
    const account = await this.writer.current(groupId, refund.at);
    // A group that never held a point (its purchases too small to earn one) has nothing to give back.
    if (!account) return { own: 0, others: [], unrecovered: points, account: emptyAccount(groupId) };
    const [own] = lotId ? await this.ledger.lots([lotId]) : [];
    const wanted = points - Math.min(own?.remaining ?? 0, points);
    const others =
      wanted > 0
        ? (await this.ledger.openLots(groupId, wanted + (own?.remaining ?? 0))).filter(
            (lot) => lot.lotId !== lotId,
          )
        : [];
    const plan = planRefund(points, own ?? null, others);
    const changes: LotChange[] = [];
    const delta = emptyDelta();
    if (own && points > 0) {
      changes.push({ lotId: own.lotId, remaining: -plan.own, refunded: plan.own, qualifying: -points });
      if (own.pending) addToDelta(delta, own.payer, 0, -plan.own);
      else addToDelta(delta, own.payer, -plan.own);
    }
    for (const take of plan.others) {
      changes.push({ lotId: take.lotId, remaining: -take.points, refunded: take.points });
      addToDelta(delta, take.payer, -take.points);
    }
    await this.ledger.changeLots(changes);
    const drafts = refundEntries(
      account.balance,
      own && plan.own > 0 ? { payer: own.payer, points: plan.own, pending: own.pending } : null,
      plan.others,
    );
    if (!changes.length) return { ...plan, account };
    const after = await this.ledger.change(groupId, { ...delta, seqs: drafts.length });
    await this.writer.append(refund, drafts, after.seq);
    return { ...plan, account: after };
  }

  /**
   * A reversal gives a redemption's points back to the very lots they came from, with those
   * lots' own expiry: points whose lot has expired meanwhile expire again at once (an EXPIRE entry
   * after the REVERSAL), so a reversal never brings expired points back to life.
   */
  async giveBack(reversal: GiveBack): Promise<GivenBack> {
    const { groupId, at } = reversal;
    const account = (await this.writer.current(groupId, at))!;
    const lots = new Map(
      (await this.ledger.lots(reversal.allocations.map((a) => a.lotId))).map((l) => [l.lotId, l]),
    );
    const changes: LotChange[] = [];
    const delta = emptyDelta();
    const expired: ExpiredLot[] = [];
    let earliestExpiry = NEVER;
    for (const { lotId, points } of reversal.allocations) {
      const lot = lots.get(lotId)!;
      if (lot.expiresAt && lot.expiresAt <= at) {
        changes.push({ lotId, expired: points });
        expired.push({ lotId, payer: lot.payer, reference: lot.reference, points, expiresAt: lot.expiresAt });
      } else {
        changes.push({ lotId, remaining: points });
        addToDelta(delta, lot.payer, points);
        if (lot.expiresAt && lot.expiresAt < earliestExpiry) earliestExpiry = lot.expiresAt;
      }
    }
    await this.ledger.changeLots(changes);
    const restoredDrafts: EntryDraft[] = [];
    let balance = account.balance;
    for (const { payer, points } of byPayerOf(reversal.allocations)) {
      balance += points;
      restoredDrafts.push({
        type: 'REVERSAL',
        payer,
        points,
        balanceAfter: balance,
        reason: reversal.reason,
      });
    }
    const expiredDrafts: EntryDraft[] = expired.map((lot) => {
      balance -= lot.points;
      return { type: 'EXPIRE', payer: lot.payer, points: -lot.points, balanceAfter: balance };
    });
    const drafts = [...restoredDrafts, ...expiredDrafts];
    const after = await this.ledger.change(groupId, {
      ...delta,
      seqs: drafts.length,
      nextChangeAt: earliestExpiry < account.nextChangeAt ? earliestExpiry : undefined,
    });
    await this.writer.append(reversal, drafts, after.seq, (i) =>
      i < restoredDrafts.length ? reversal.reference : expired[i - restoredDrafts.length].reference,
    );
    for (const lot of expired) {
      await this.outbox.add(EVENTS.pointsExpired, expiredEvent(groupId, lot, at, after.balance));
    }
    const restored = reversal.allocations.reduce((sum, a) => sum + a.points, 0);
    return { account: after, restored, expired: expired.reduce((sum, e) => sum + e.points, 0) };
  }
}

/** REFUND entries: the own lot's take first (pending points leave no mark on the balance), then the others per payer. */
function refundEntries(
  balanceBefore: number,
  own: { payer: string; points: number; pending: boolean } | null,
  others: LotSpend[],
): EntryDraft[] {
  let balance = balanceBefore;
  const drafts: EntryDraft[] = [];
  if (own) {
    if (!own.pending) balance -= own.points;
    drafts.push({ type: 'REFUND', payer: own.payer, points: -own.points, balanceAfter: balance });
  }
  for (const { payer, points } of byPayerOf(others)) {
    balance -= points;
    drafts.push({ type: 'REFUND', payer, points: -points, balanceAfter: balance });
  }
  return drafts;
}
