import { Injectable } from '@nestjs/common';
import { EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { type Allocation, planLateLot, type PayerDebit } from '../domain/late-lots';
import { addToDelta, emptyDelta } from '../domain/lot-settlement';
import { expiredEvent } from './expired-points';
import { entryOf } from './ledger-entries';
import { AccountState, LotChange, NewLot, PointsLedgerRepository } from '../ports/points-ledger.repository';
import { RequestKey, RequestLog, SpendDetail } from '../ports/request-log.repository';

/**
 * A lot that arrives dated before points its payer's negative transactions already took from
 * younger lots takes those debits over (domain/late-lots.ts): the younger lots get their points
 * back, the late lot gives them. Points given back to a lot that has expired meanwhile expire at
 * once (an EXPIRE entry), so nothing comes back to life. Runs inside the earning's transaction.
 */
@Injectable()
export class LateLots {
  constructor(
    private readonly ledger: PointsLedgerRepository,
    private readonly requests: RequestLog,
    private readonly outbox: Outbox,
  ) {}

  async arrived(
    account: AccountState,
    lot: NewLot,
    write: { groupId: string; actorId: string; at: Date },
  ): Promise<AccountState> {
    const [current] = await this.ledger.lots([lot.lotId]);
    if (!current || current.remaining === 0 || current.pending) return account;
    const records = await this.requests.payerDebits(account.groupId, lot.payer);
    const debits: Array<PayerDebit<RequestKey>> = records.map((record) => ({
      key: { kind: record.kind, scope: record.scope, businessId: record.businessId },
      allocations: (record.detail as SpendDetail).allocations,
    }));
    const late: Allocation = {
      lotId: lot.lotId,
      payer: lot.payer,
      points: current.remaining,
      timestamp: lot.timestamp,
      seq: lot.seq,
    };
    const plan = planLateLot(late, debits);
    if (plan.taken === 0) return account;

    const younger = await this.ledger.lots([...plan.restored.keys()]);
    const changes: LotChange[] = [{ lotId: lot.lotId, remaining: -plan.taken }];
    const delta = emptyDelta();
    const expired: Array<{ lot: NewLot; points: number }> = [];
    let earliestExpiry: Date | null = null;
    for (const given of younger) {
      const points = plan.restored.get(given.lotId)!;
      if (given.expiresAt && given.expiresAt <= write.at) {
        // Back into a lot that has expired: the points expire with it, at once.
        changes.push({ lotId: given.lotId, expired: points });
        addToDelta(delta, given.payer, -points);
        expired.push({ lot: given, points });
      } else {
        changes.push({ lotId: given.lotId, remaining: points });
        if (given.expiresAt && (!earliestExpiry || given.expiresAt < earliestExpiry))
          earliestExpiry = given.expiresAt;
      }
    }
    await this.ledger.changeLots(changes);
    for (const debit of plan.debits) await this.requests.setAllocations(debit.key, debit.allocations);
    const nextChangeAt = earliestExpiry && earliestExpiry < account.nextChangeAt ? earliestExpiry : undefined;
    if (!expired.length && !nextChangeAt) return account;
    const after = await this.ledger.change(account.groupId, { ...delta, seqs: expired.length, nextChangeAt });
    let balance = after.balance + expired.reduce((sum, e) => sum + e.points, 0);
    const firstSeq = after.seq - expired.length + 1;
    await this.ledger.appendEntries(
      expired.map(({ lot: given, points }, i) => {
        balance -= points;
        const draft = { type: 'EXPIRE' as const, payer: given.payer, points: -points, balanceAfter: balance };
        return entryOf(
          { ...write, groupId: account.groupId, reference: given.reference },
          draft,
          firstSeq + i,
        );
      }),
    );
    for (const { lot: given, points } of expired) {
      await this.outbox.add(
        EVENTS.pointsExpired,
        expiredEvent(
          account.groupId,
          { ...given, points, expiresAt: given.expiresAt! },
          write.at,
          after.balance,
        ),
      );
    }
    return after;
  }
}
