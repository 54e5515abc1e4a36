import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Balances,
  CreditType,
  DebitType,
  EntryDraft,
  planSpend,
  spendable,
  spendEntries,
} from '../domain/ledger-rules';
import type { PayerSpend } from '../domain/payer-lots';
import { AccountState, EntryRecord, PointsLedgerRepository } from '../ports/points-ledger.repository';

/** What every write records on its entries: whose ledger, why, by whom, and when. */
export interface LedgerWrite {
  groupId: string;
  /** The purchaseId, redemptionId or transactionId behind the write. */
  reference: string;
  /** The member or admin whose request it is. */
  actorId: string;
  /** When it is recorded: the entries' createdAt. */
  at: Date;
}

export interface Earning extends LedgerWrite {
  type: CreditType;
  payer: string;
  /** Positive. */
  points: number;
  /** When the purchase or payer transaction happened: it orders the lot for spending. */
  fundedAt: Date;
}

export interface Spending extends LedgerWrite {
  type: DebitType;
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
}

const NO_ACCOUNT: Balances = { balance: 0, byPayer: {} };

/**
 * The one place that writes the points ledger, so that balance = the sum of entries = the sum of
 * lot remainders holds by construction whatever use case writes: purchases and payer credits
 * `earn`, redemptions and payer debits `spend`. Later kinds of points (pending, expiring,
 * refunded, reversed) are new entry types and lot states written through these two sequences.
 * Callers run it inside IdempotentCommands (one transaction, one group at a time).
 *
 * There is no GroupLedger aggregate loaded before a write: a purchase stays three writes and no
 * read (the account's `$inc` hands out the seq), which loading a group's ledger would break on the
 * benchmarked path. The property tests run this writer on an in-memory store instead
 * (test/support/loyalty/in-memory-points-ledger.ts), so they check this code, not a copy of it.
 */
@Injectable()
export class LedgerWriter {
  constructor(private readonly ledger: PointsLedgerRepository) {}

  /** Credit the account, add the payer's lot and the entry: 3 writes, no read. */
  async earn(earning: Earning): Promise<AccountState> {
    const { groupId, payer, points } = earning;
    const account = await this.ledger.credit(groupId, payer, points);
    await this.ledger.addLot({
      lotId: randomUUID(),
      groupId,
      payer,
      timestamp: earning.fundedAt,
      seq: account.seq,
      points,
      remaining: points,
      reference: earning.reference,
    });
    const draft = { type: earning.type, payer, points, balanceAfter: account.balance };
    await this.ledger.appendEntries([entryOf(earning, draft, account.seq)]);
    return account;
  }

  /**
   * Plan oldest points first from this transaction's snapshot (422 when too few, writing
   * nothing), spend those lots (each only if it still holds what the plan takes), debit the
   * account (only if no balance goes below zero) and add one entry per payer portion.
   */
  async spend(spending: Spending): Promise<Spent> {
    const { groupId, points, payer } = spending;
    const account = (await this.ledger.account(groupId)) ?? NO_ACCOUNT;
    const enough = spendable(account, payer) >= points;
    const lots = enough ? await this.ledger.openLots(groupId, points, payer) : [];
    const plan = planSpend(account, lots, points, payer);
    await this.ledger.spendLots(plan.lots);
    const after = await this.ledger.debit(groupId, plan.payers);
    const drafts = spendEntries(spending.type, after.balance + points, plan.payers);
    const firstSeq = after.seq - drafts.length + 1;
    await this.ledger.appendEntries(drafts.map((draft, i) => entryOf(spending, draft, firstSeq + i)));
    return { account: after, payers: plan.payers };
  }
}

function entryOf(write: LedgerWrite, draft: EntryDraft, seq: number): EntryRecord {
  return {
    ...draft,
    entryId: randomUUID(),
    groupId: write.groupId,
    seq,
    reference: write.reference,
    createdAt: write.at,
    actorId: write.actorId,
  };
}
