import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { EntryDraft, planSpend, spendable, spendEntries } from '../domain/ledger-rules';
import { settle as settleLots } from '../domain/lot-settlement';
import type { LotSpend, PayerSpend } from '../domain/payer-lots';
import type { LotDates } from '../domain/points-policy';
import {
  AccountState,
  EntryRecord,
  lotChangeOf,
  LotKind,
  NEVER,
  PointsLedgerRepository,
} from '../ports/points-ledger.repository';
import { expiredEvent } from './expired-points';
import { LateLots } from './late-lots';
import { entryOf, type LedgerWrite } from './ledger-entries';

export type { LedgerWrite } from './ledger-entries';

export interface Earning extends LedgerWrite {
  type: LotKind;
  payer: string;
  /** Positive. */
  points: number;
  /** When the purchase or payer transaction happened: it orders the lot for spending. */
  fundedAt: Date;
  dates: LotDates;
  /** The caller reads none of the group's lots after this write (no tier review follows). */
  noLotReadsAfter?: boolean;
}

export interface Earned {
  account: AccountState;
  lotId: string;
  pending: boolean;
}

export interface Spending extends LedgerWrite {
  type: 'REDEEM' | 'ADJUST';
  /** Positive: how many points to take. */
  points: number;
  /** Only this payer's points (a negative payer transaction); every payer's when absent. */
  payer?: string;
}

export interface Spent {
  /** The account right after the spend. */
  account: AccountState;
  /** Per payer, in spending order (positive). */
  payers: PayerSpend[];
  /** The lots taken from: a reversal gives them back, a late lot may take a debit over. */
  lots: LotSpend[];
}

const NO_ACCOUNT = { balance: 0, byPayer: {}, pending: 0, nextChangeAt: NEVER } as const;

/**
 * The one place that writes points (with LedgerChanges for refunds and reversals), so that
 * balance = Σ available lot remainders and pending = Σ pending lots hold by construction
 * whatever use case writes. Callers run it inside IdempotentCommands (one transaction, one group
 * at a time). Time changes lots without a write (pending points mature, points expire): every
 * write first settles what is due (`settle`), so it plans from the group's state at `at`.
 *
 * There is no GroupLedger aggregate loaded before a write: a purchase stays three writes and no
 * read (the account's `$inc` hands out the seq, and says whether anything is due), which loading
 * a group's ledger would break on the benchmarked path. The property tests run this writer on an
 * in-memory store too (test/support/loyalty/in-memory-points-ledger.ts).
 */
@Injectable()
export class LedgerWriter {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly outbox: Outbox,
    private readonly lateLots: LateLots,
  ) {}

  /**
   * Credit the account (balance or pending), add the lot and the entry: 3 writes, no read; the
   * entry (always) and the lot (when `noLotReadsAfter` and nothing here reads lots) at commit.
   */
  async earn(earning: Earning): Promise<Earned> {
    const { groupId, payer, points, dates, at } = earning;
    const pending = dates.availableAt > at;
    const changeAt = pending ? dates.availableAt : dates.expiresAt;
    let account = await this.ledger.credit(groupId, { payer, points, pending, changeAt });
    const lotId = randomUUID();
    const lot = {
      lotId,
      groupId,
      kind: earning.type,
      payer,
      timestamp: earning.fundedAt,
      seq: account.seq,
      points,
      remaining: points,
      reference: earning.reference,
      pending,
      availableAt: dates.availableAt,
      expiresAt: dates.expiresAt,
      expired: 0,
      refunded: 0,
      qualifying: earning.type === 'EARN' ? points : 0,
    };
    // The lot waits for the commit (one insert shared with the transaction's other lots) only
    // when nothing below reads the group's lots: no settling now due, no late-lot allocation.
    const settles = account.nextChangeAt <= at;
    const allocates = !pending && account.debitedPayers.includes(payer);
    await this.ledger.addLot(lot, { atCommit: earning.noLotReadsAfter === true && !settles && !allocates });
    const draft = {
      type: earning.type,
      payer,
      points,
      balanceAfter: account.balance,
      reason: earning.reason,
    };
    await this.ledger.appendEntries([entryOf(earning, draft, account.seq)]);
    if (settles) account = await this.settle(account, at);
    if (!pending && account.debitedPayers.includes(payer)) {
      account = await this.lateLots.arrived(account, lot, earning);
    }
    return { account, lotId, pending };
  }

  /**
   * Plan oldest available points first from this transaction's snapshot (422 when too few,
   * writing nothing), spend those lots (each only if it still holds what the plan takes), debit
   * the account (only if no balance goes below zero) and add one entry per payer portion.
   */
  async spend(spending: Spending): Promise<Spent> {
    const { groupId, points, payer, at } = spending;
    // The account and its oldest open lots in one read; the lots again only after a settlement
    // changed them, or when the first ones read don't hold enough.
    const read = await this.ledger.accountWithOpenLots(groupId, points, payer);
    let { account, lots } = read;
    if (account && account.nextChangeAt <= at) {
      account = await this.settle(account, at);
      lots = null;
    }
    const balances = account ?? NO_ACCOUNT;
    const enough = spendable(balances, payer) >= points;
    if (!enough) lots = [];
    else lots ??= await this.ledger.openLots(groupId, points, payer);
    const plan = planSpend(balances, lots, points, payer);
    await this.ledger.spendLots(plan.lots);
    const after = await this.ledger.debit(groupId, plan.payers, payer);
    const drafts = spendEntries(spending.type, after.balance + points, plan.payers).map((draft) => ({
      ...draft,
      reason: spending.reason,
    }));
    await this.append(spending, drafts, after.seq);
    return { account: after, payers: plan.payers, lots: plan.lots };
  }

  /** The group's account at `at`: what time made due is settled (written) first. */
  async current(groupId: string, at: Date): Promise<AccountState | null> {
    const account = await this.ledger.account(groupId);
    return account && account.nextChangeAt <= at ? this.settle(account, at) : account;
  }

  /**
   * Persist what time did to the group's lots by `at`: matured pending points join the balance,
   * expired remainders leave it with one EXPIRE entry and one `points.expired` event per lot.
   * Idempotent per lot: each change applies only to the state it was planned from, and a lot
   * once settled is no longer due.
   */
  async settle(account: AccountState, at: Date): Promise<AccountState> {
    const { groupId } = account;
    const settlement = settleLots(await this.ledger.dueLots(groupId, at), at);
    await this.ledger.changeLots(settlement.transitions.map(lotChangeOf));
    const nextChangeAt = await this.ledger.nextChange(groupId);
    const after = await this.ledger.change(groupId, {
      ...settlement.delta,
      seqs: settlement.expired.length,
      nextChangeAt,
    });
    let balance = after.balance + settlement.expired.reduce((sum, lot) => sum + lot.points, 0);
    const drafts: EntryDraft[] = settlement.expired.map((lot) => {
      balance -= lot.points;
      return { type: 'EXPIRE', payer: lot.payer, points: -lot.points, balanceAfter: balance };
    });
    const write = { groupId, actorId: 'system', at, reference: '' };
    const entries = await this.append(write, drafts, after.seq, (i) => settlement.expired[i].reference);
    for (const [i, lot] of settlement.expired.entries()) {
      await this.outbox.add(EVENTS.pointsExpired, expiredEvent(groupId, lot, at, entries[i].balanceAfter));
    }
    return after;
  }

  /**
   * Appends `drafts` as the entries ending at `lastSeq` (the account's seq after taking theirs);
   * `referenceOf` overrides the write's reference per entry.
   */
  async append(
    write: LedgerWrite,
    drafts: EntryDraft[],
    lastSeq: number,
    referenceOf?: (index: number) => string,
  ): Promise<EntryRecord[]> {
    const firstSeq = lastSeq - drafts.length + 1;
    const entries = drafts.map((draft, i) => ({
      ...entryOf(write, draft, firstSeq + i),
      ...(referenceOf ? { reference: referenceOf(i) } : {}),
    }));
    await this.ledger.appendEntries(entries);
    return entries;
  }
}
