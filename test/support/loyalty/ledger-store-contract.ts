import { randomUUID } from 'node:crypto';
import { UniqueViolation, type UnitOfWork } from '@lib/persistence';
import {
  NEVER,
  type NewLot,
  type PointsLedgerRepository,
} from '../../../apps/loyalty/src/ledger/ports/points-ledger.repository';
import type {
  PurchaseDetail,
  RequestLog,
  RequestRecord,
} from '../../../apps/loyalty/src/ledger/ports/request-log.repository';

/** A store to hold to the contract: its adapters and the unit of work they write in. */
export interface LedgerStoreUnderTest {
  ledger: PointsLedgerRepository;
  requests: RequestLog;
  uow: UnitOfWork;
}

const T = Date.UTC(2025, 0, 1);
const at = (hours: number) => new Date(T + hours * 3_600_000);

/**
 * What both ledger stores must do alike (MongoDB's adapters and the in-memory ones the property
 * tests use): the same answers, and the same refusals of a write that would break the books.
 * After a refusal inside a unit of work nothing has changed. Registers one `it` per rule.
 */
export function ledgerStoreContract(open: () => LedgerStoreUnderTest): void {
  const lotOf = (groupId: string, over: Partial<NewLot> = {}): NewLot => ({
    lotId: randomUUID(),
    groupId,
    kind: 'EARN',
    payer: 'DANNON',
    timestamp: at(0),
    seq: 1,
    points: 10,
    remaining: 10,
    reference: 'p-1',
    pending: false,
    availableAt: at(0),
    expiresAt: null,
    expired: 0,
    refunded: 0,
    qualifying: 10,
    ...over,
  });

  it('credit opens the account with every counter; pending points show their payer at 0 and lower nextChangeAt', async () => {
    const { ledger, uow } = open();
    const groupId = randomUUID();
    const first = await uow.run(() =>
      ledger.credit(groupId, { payer: 'STORE', points: 7, pending: true, changeAt: at(48) }),
    );
    expect(first).toMatchObject({
      balance: 0,
      pending: 7,
      byPayer: { STORE: 0 },
      seq: 1,
      nextChangeAt: at(48),
      tierReviewAt: NEVER,
    });
    expect(first.debitedPayers).toEqual([]);
    const later = await uow.run(() =>
      ledger.credit(groupId, { payer: 'DANNON', points: 5, pending: false, changeAt: at(99) }),
    );
    expect(later).toMatchObject({
      balance: 5,
      pending: 7,
      byPayer: { STORE: 0, DANNON: 5 },
      seq: 2,
      nextChangeAt: at(48),
    });
    const sooner = await uow.run(() =>
      ledger.credit(groupId, { payer: 'DANNON', points: 1, pending: false, changeAt: at(24) }),
    );
    expect(sooner.nextChangeAt).toEqual(at(24));
  });

  it('debit and change refuse to take any counter below zero, and leave the account as it was', async () => {
    const { ledger, uow } = open();
    const groupId = randomUUID();
    await uow.run(() =>
      ledger.credit(groupId, { payer: 'DANNON', points: 10, pending: false, changeAt: null }),
    );
    await uow.run(() =>
      ledger.credit(groupId, { payer: 'STORE', points: 4, pending: true, changeAt: at(10) }),
    );
    await expect(uow.run(() => ledger.debit(groupId, [{ payer: 'DANNON', points: 11 }]))).rejects.toThrow(
      /refused/,
    );
    await expect(uow.run(() => ledger.debit(groupId, [{ payer: 'STORE', points: 1 }]))).rejects.toThrow(
      /refused/,
    );
    await expect(
      uow.run(() => ledger.change(groupId, { balance: -11, pending: 0, byPayer: { DANNON: -11 } })),
    ).rejects.toThrow(/refused/);
    await expect(
      uow.run(() => ledger.change(groupId, { balance: 0, pending: -5, byPayer: {} })),
    ).rejects.toThrow(/refused/);
    await expect(
      uow.run(() => ledger.change(groupId, { balance: 0, pending: 0, byPayer: { UNKNOWN: -1 } })),
    ).rejects.toThrow(/refused/);
    await expect(uow.run(() => ledger.change(randomUUID(), { seqs: 1 }))).rejects.toThrow(/refused/);
    expect(await ledger.account(groupId)).toMatchObject({
      balance: 10,
      pending: 4,
      byPayer: { DANNON: 10, STORE: 0 },
      seq: 2,
    });
    const debited = await uow.run(() => ledger.debit(groupId, [{ payer: 'DANNON', points: 10 }], 'DANNON'));
    expect(debited).toMatchObject({
      balance: 0,
      byPayer: { DANNON: 0, STORE: 0 },
      seq: 3,
      debitedPayers: ['DANNON'],
    });
    const changed = await uow.run(() =>
      ledger.change(groupId, {
        balance: 4,
        pending: -4,
        byPayer: { STORE: 4 },
        seqs: 2,
        nextChangeAt: NEVER,
        tier: 'Gold',
        tierReviewAt: at(5),
      }),
    );
    expect(changed).toMatchObject({
      balance: 4,
      pending: 0,
      byPayer: { DANNON: 0, STORE: 4 },
      seq: 5,
      nextChangeAt: NEVER,
      tier: 'Gold',
      tierReviewAt: at(5),
    });
  });

  it("refuses a lot whose books don't add up: remaining + expired + refunded ≤ points, nothing negative", async () => {
    const { ledger, uow } = open();
    const groupId = randomUUID();
    await expect(uow.run(() => ledger.addLot(lotOf(groupId, { remaining: 11 })))).rejects.toThrow();
    await expect(uow.run(() => ledger.addLot(lotOf(groupId, { points: 0, remaining: 0 })))).rejects.toThrow();
    await expect(
      uow.run(() => ledger.addLot(lotOf(groupId, { remaining: 6, expired: 3, refunded: 2 }))),
    ).rejects.toThrow();
    const lot = lotOf(groupId);
    await uow.run(() => ledger.addLot(lot));
    // Each change applies to the state it was planned from, or the whole write is refused.
    const refusals = [
      [{ lotId: lot.lotId, expect: { remaining: 9 }, remaining: -1, expired: 1 }],
      [{ lotId: lot.lotId, expect: { pending: true }, matured: true }],
      [{ lotId: lot.lotId, remaining: -11 }],
      [{ lotId: lot.lotId, expired: 1 }],
      [{ lotId: lot.lotId, refunded: -1, remaining: 1 }],
      [{ lotId: lot.lotId, qualifying: -11 }],
      [
        { lotId: lot.lotId, remaining: -2, refunded: 2 },
        { lotId: randomUUID(), remaining: 1 },
      ],
    ];
    for (const changes of refusals) await expect(uow.run(() => ledger.changeLots(changes))).rejects.toThrow();
    await expect(
      uow.run(() =>
        ledger.spendLots([{ lotId: lot.lotId, payer: 'DANNON', points: 11, timestamp: at(0), seq: 1 }]),
      ),
    ).rejects.toThrow();
    expect(await ledger.lots([lot.lotId])).toEqual([lot]);
    await uow.run(() =>
      ledger.changeLots([
        { lotId: lot.lotId, expect: { remaining: 10, pending: false }, remaining: -3, expired: 3 },
      ]),
    );
    await uow.run(() =>
      ledger.spendLots([{ lotId: lot.lotId, payer: 'DANNON', points: 2, timestamp: at(0), seq: 1 }]),
    );
    await uow.run(() =>
      ledger.changeLots([{ lotId: lot.lotId, remaining: -5, refunded: 5, qualifying: -5 }]),
    );
    expect(await ledger.lots([lot.lotId])).toEqual([
      { ...lot, remaining: 0, expired: 3, refunded: 5, qualifying: 5 },
    ]);
  });

  it('reads lots as the writers need them: open oldest first, due, next change, expiring, qualifying', async () => {
    const { ledger, uow } = open();
    const groupId = randomUUID();
    const lots = [
      lotOf(groupId, { reference: 'late-old', timestamp: at(1), seq: 4, expiresAt: at(30) }),
      lotOf(groupId, { reference: 'young', payer: 'STORE', timestamp: at(5), seq: 1, expiresAt: at(20) }),
      lotOf(groupId, {
        reference: 'pending',
        timestamp: at(0),
        seq: 2,
        pending: true,
        availableAt: at(12),
        expiresAt: at(40),
      }),
      lotOf(groupId, { reference: 'same-time', timestamp: at(1), seq: 5, kind: 'ADJUST', qualifying: 0 }),
      lotOf(groupId, {
        reference: 'spent',
        timestamp: at(0),
        seq: 3,
        remaining: 0,
        expiresAt: at(2),
        qualifying: 4,
      }),
    ];
    for (const lot of lots) await uow.run(() => ledger.addLot(lot));
    const refs = (found: Array<{ lotId: string }>) =>
      found.map((f) => lots.find((l) => l.lotId === f.lotId)!.reference);
    expect(refs(await ledger.openLots(groupId, 1000))).toEqual(['late-old', 'same-time', 'young']);
    expect(refs(await ledger.openLots(groupId, 15))).toEqual(['late-old', 'same-time']);
    expect(refs(await ledger.openLots(groupId, 5, 'STORE'))).toEqual(['young']);
    expect(refs(await ledger.dueLots(groupId, at(11))).sort()).toEqual([]);
    expect(refs(await ledger.dueLots(groupId, at(20))).sort()).toEqual(['pending', 'young']);
    expect(await ledger.nextChange(groupId)).toEqual(at(12));
    expect(await ledger.nextChange(randomUUID())).toEqual(NEVER);
    expect(refs(await ledger.expiring(groupId, at(20), at(40)))).toEqual(['late-old', 'pending']);
    expect(await ledger.qualifying(groupId, at(0))).toEqual({ points: 20, oldest: at(1) });
    expect(await ledger.qualifying(groupId, at(-1))).toEqual({ points: 34, oldest: at(0) });
  });

  it('the account with its open lots in one read: the same lots as openLots, or none read when the first few hold too little', async () => {
    const { ledger, uow } = open();
    const groupId = randomUUID();
    expect(await ledger.accountWithOpenLots(groupId, 5)).toEqual({ account: null, lots: [] });

    // 70 lots of 1 point, oldest first by (timestamp, seq); one pending and one spent in between.
    await uow.run(() =>
      ledger.credit(groupId, { payer: 'DANNON', points: 70, pending: false, changeAt: null }),
    );
    const lots = Array.from({ length: 70 }, (_, i) =>
      lotOf(groupId, { reference: `l-${i}`, timestamp: at(i), seq: i + 1, points: 1, remaining: 1 }),
    );
    lots.push(
      lotOf(groupId, {
        reference: 'pending',
        timestamp: at(0),
        seq: 100,
        pending: true,
        availableAt: at(99),
      }),
    );
    lots.push(lotOf(groupId, { reference: 'spent', timestamp: at(0), seq: 101, remaining: 0 }));
    lots.push(
      lotOf(groupId, { reference: 'store', payer: 'STORE', timestamp: at(0), seq: 102, remaining: 3 }),
    );
    for (const lot of lots) await uow.run(() => ledger.addLot(lot));
    const account = await ledger.account(groupId);

    for (const [atLeast, payer] of [[1], [10], [12], [64, 'DANNON'], [3, 'STORE']] as Array<
      [number, string?]
    >) {
      expect(await ledger.accountWithOpenLots(groupId, atLeast, payer)).toEqual({
        account,
        lots: await ledger.openLots(groupId, atLeast, payer),
      });
    }
    // More than the oldest lots read at once hold: either all of them, or none and openLots reads on.
    const many = await ledger.accountWithOpenLots(groupId, 71, 'DANNON');
    expect(many.account).toEqual(account);
    if (many.lots !== null) expect(many.lots).toEqual(await ledger.openLots(groupId, 71, 'DANNON'));
    expect(await ledger.openLots(groupId, 71, 'DANNON')).toHaveLength(70);
  });

  it('entries: one per seq in a group, history newest first in pages', async () => {
    const { ledger, uow } = open();
    const groupId = randomUUID();
    const entry = (seq: number) => ({
      entryId: randomUUID(),
      groupId,
      seq,
      type: 'ADJUST' as const,
      points: seq,
      payer: 'DANNON',
      reference: `t-${seq}`,
      balanceAfter: 0,
      reason: null,
      createdAt: at(seq),
      actorId: 'admin',
    });
    await uow.run(() => ledger.appendEntries([entry(1), entry(2), entry(3)]));
    await expect(uow.run(() => ledger.appendEntries([entry(4), entry(2)]))).rejects.toThrow();
    expect((await ledger.history(groupId, 10)).map((e) => e.seq)).toEqual([3, 2, 1]);
    expect((await ledger.history(groupId, 1, [3])).map((e) => e.seq)).toEqual([2]);
  });

  it('groupsDue finds accounts with lots to settle or a tier to review; reviewTiers brings every announced tier due', async () => {
    const { ledger, uow } = open();
    const [settles, reviews, idle] = [randomUUID(), randomUUID(), randomUUID()];
    await uow.run(() => ledger.credit(settles, { payer: 'A', points: 1, pending: true, changeAt: at(5) }));
    await uow.run(() => ledger.credit(reviews, { payer: 'A', points: 1, pending: false, changeAt: null }));
    await uow.run(() => ledger.change(reviews, { tier: 'Gold', tierReviewAt: at(6) }));
    await uow.run(() => ledger.credit(idle, { payer: 'A', points: 1, pending: false, changeAt: null }));
    const due = await ledger.groupsDue(at(7), 1000);
    expect(due).toEqual(expect.arrayContaining([settles, reviews]));
    expect(due).not.toContain(idle);
    await uow.run(() => ledger.change(reviews, { tierReviewAt: NEVER }));
    await uow.run(() => ledger.reviewTiers(at(8)));
    expect((await ledger.account(reviews))!.tierReviewAt).toEqual(at(8));
    expect((await ledger.account(idle))!.tierReviewAt).toEqual(NEVER);
  });

  it('the request log: a key once (UniqueViolation), refunds within the amount, one reversal, a payer debits', async () => {
    const { requests, uow } = open();
    const groupId = randomUUID();
    const detail: PurchaseDetail = {
      lotId: null,
      currency: 'USD',
      minorUnits: 2,
      amountMinor: 1000,
      refundedMinor: 0,
      rate: '1',
      pointsEarned: 10,
      refundedPoints: 0,
    };
    const record = (
      kind: RequestRecord<unknown>['kind'],
      businessId: string,
      extra: Partial<RequestRecord<unknown>> = {},
    ) => ({
      kind,
      scope: groupId,
      businessId,
      groupId,
      fingerprint: 'f',
      response: { businessId },
      createdAt: at(Number(businessId.replace(/\D/g, '')) || 0),
      ...extra,
    });
    const purchase = { kind: 'purchase' as const, scope: groupId, businessId: 'p1' };
    await uow.run(() => requests.insert(record('purchase', 'p1', { detail })));
    await expect(uow.run(() => requests.insert(record('purchase', 'p1')))).rejects.toBeInstanceOf(
      UniqueViolation,
    );
    expect(await uow.run(() => requests.addRefund(purchase, 600, 6, detail))).toBe(true);
    expect(await uow.run(() => requests.addRefund(purchase, 401, 4, detail))).toBe(false);
    expect(await uow.run(() => requests.addRefund(purchase, 400, 4, detail))).toBe(true);
    expect((await requests.find(purchase))!.detail).toMatchObject({
      refundedMinor: 1000,
      refundedPoints: 10,
    });

    const redemption = { kind: 'redemption' as const, scope: groupId, businessId: 'r2' };
    await uow.run(() => requests.insert(record('redemption', 'r2', { detail: { allocations: [] } })));
    expect(await uow.run(() => requests.setReversal(redemption, { pointsRestored: 3 }))).toBe(true);
    expect(await uow.run(() => requests.setReversal(redemption, { pointsRestored: 4 }))).toBe(false);
    expect((await requests.find(redemption))!.detail).toEqual({
      allocations: [],
      reversal: { pointsRestored: 3 },
    });

    const allocation = { lotId: 'l', payer: 'DANNON', points: 2, timestamp: at(0), seq: 1 };
    await uow.run(() =>
      requests.insert(
        record('transaction', 't3', { detail: { payer: 'DANNON', allocations: [allocation] } }),
      ),
    );
    await uow.run(() => requests.insert(record('transaction', 't4')));
    expect((await requests.payerDebits(groupId, 'DANNON')).map((r) => r.businessId)).toEqual(['t3']);
    expect(await requests.payerDebits(groupId, 'STORE')).toEqual([]);
    await uow.run(() =>
      requests.setAllocations({ kind: 'transaction', scope: groupId, businessId: 't3' }, [
        { ...allocation, points: 1 },
      ]),
    );
    expect((await requests.payerDebits(groupId, 'DANNON'))[0].detail).toEqual({
      payer: 'DANNON',
      allocations: [{ ...allocation, points: 1 }],
    });
    const page = await requests.list('transaction', groupId, 1);
    expect(page.map((r) => r.businessId)).toEqual(['t4']);
    const next = await requests.list('transaction', groupId, 5, [page[0].createdAt.getTime(), 't4', groupId]);
    expect(next.map((r) => r.businessId)).toEqual(['t3']);
    expect((await requests.findEverywhere('redemption', 'r2')).map((r) => r.groupId)).toEqual([groupId]);
  });
}
