import mongoose from 'mongoose';
import { TestIsolation } from '@lib/testing';
import { expectLedgerInvariants } from '../support/loyalty/expect-ledger-invariants';
import { ADMIN_ENV, admin, apiClient, type ApiClientCaller, member } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Res = { status: number; body: Record<string, any> };

describe('points ledger under concurrency (exact totals, real MongoDB transactions)', () => {
  const iso = new TestIsolation('ptsconc');
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let boss: Awaited<ReturnType<typeof admin>>;
  /** The till that records this file's purchases (members can't: API clients with purchases:write do). */
  let till: ApiClientCaller;

  beforeAll(async () => {
    stack = await startPlatformStack(iso, {
      services: ['loyalty'],
      authEnv: ADMIN_ENV,
      // These tests assert exact outcomes, not speed: on a busy machine a burst of 200 on one group
      // can take longer than the default 3 s RPC timeout, and a timed-out request would be a 504
      // here although the ledger still applies it (bench/points.bench.ts measures the speed).
      gateway: { rpcTimeoutMs: 30_000 },
    });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'loyalty') })
      .asPromise();
    boss = await admin(stack.http);
    till = await apiClient(stack.http, boss.auth, ['purchases:write']);
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const invariantsHold = (groupId: string) => expectLedgerInvariants(db.db!, groupId);
  /** `POST /v1/purchases` by `by` (the till unless said) for the member `userId`. */
  const purchase = (userId: string, body: Record<string, unknown>, by: ApiClientCaller = till) =>
    stack
      .http()
      .post('/v1/purchases')
      .set(by.auth)
      .send({ userId, ...body });

  it('200 simultaneous redemptions of 10 against 1000 points: exactly 100 succeed, 100 get 422, balance 0', async () => {
    const m = await member(stack.http);
    // 1000 points over 4 payers and 7 lots, so redemptions cross lots and payers.
    const feed: Array<[string, number, string]> = [
      ['DANNON', 300, '2026-01-01T00:00:00Z'],
      ['UNILEVER', 150, '2026-01-02T00:00:00Z'],
      ['DANNON', 55, '2026-01-03T00:00:00Z'],
      ['MILLER COORS', 245, '2026-01-04T00:00:00Z'],
      ['ACME', 100, '2026-01-05T00:00:00Z'],
      ['UNILEVER', 99, '2026-01-06T00:00:00Z'],
      ['ACME', 51, '2026-01-07T00:00:00Z'],
    ];
    for (const [i, [payer, points, timestamp]] of feed.entries()) {
      await stack
        .http()
        .post(`/v1/admin/groups/${m.groupId}/transactions`)
        .set(boss.auth)
        .send({ transactionId: `fund-${i}`, payer, points, timestamp, reason: 'fund' })
        .expect(201);
    }

    const results = (await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        stack
          .http()
          .post('/v1/redemptions')
          .set(m.auth)
          .send({ redemptionId: `r-${i}`, points: 10 }),
      ),
    )) as unknown as Res[];

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    expect(statuses.filter((s) => s === 422)).toHaveLength(100);
    for (const r of results.filter((x) => x.status === 422)) {
      expect(r.body).toMatchObject({ code: 'INSUFFICIENT_POINTS', available: 0, requested: 10 });
    }
    const spent = results
      .filter((r) => r.status === 201)
      .flatMap((r) => r.body.spent as Array<{ points: number }>)
      .reduce((sum, s) => sum + s.points, 0);
    expect(spent).toBe(-1000);

    const points = await stack.http().get('/v1/points').set(m.auth).expect(200);
    expect(points.body).toMatchObject({ groupId: m.groupId, balance: 0, pending: 0 });
    expect(points.body.byPayer).toEqual({ DANNON: 0, UNILEVER: 0, 'MILLER COORS': 0, ACME: 0 });
    const s = await invariantsHold(m.groupId);
    expect(s.balance).toBe(0);
    expect(
      await db.collection('ledger_requests').countDocuments({ groupId: m.groupId, kind: 'redemption' }),
    ).toBe(100);
  });

  it("50 simultaneous copies of one till's purchase credit exactly once: one 201, 49 × 200 with the same body", async () => {
    const m = await member(stack.http);
    const body = { purchaseId: 'once', amount: '123.45', payer: 'DANNON' };
    const results = (await Promise.all(
      Array.from({ length: 50 }, () => purchase(m.userId, body)),
    )) as unknown as Res[];

    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    const first = results.find((r) => r.status === 201)!.body;
    for (const r of results) expect(r.body).toEqual(first);
    expect(first).toMatchObject({ pointsEarned: 123, balance: 123 });

    const points = await stack.http().get('/v1/points').set(m.auth).expect(200);
    expect(points.body.balance).toBe(123);
    const s = await invariantsHold(m.groupId);
    expect(s.entries).toBe(1);
    expect(await db.collection('point_lots').countDocuments({ groupId: m.groupId })).toBe(1);
  });

  it('idempotency is per till: two tills sending 25 copies each of one purchaseId credit exactly twice', async () => {
    const m = await member(stack.http);
    const otherTill = await apiClient(stack.http, boss.auth, ['purchases:write']);
    const body = { purchaseId: 'order-7', amount: '10.00' };
    const results = (await Promise.all(
      Array.from({ length: 50 }, (_, i) => purchase(m.userId, body, i % 2 ? otherTill : till)),
    )) as unknown as Res[];

    for (const t of [till, otherTill]) {
      const mine = results.filter((r) => r.body.clientId === t.clientId);
      expect(mine).toHaveLength(25);
      expect(mine.filter((r) => r.status === 201)).toHaveLength(1);
      expect(mine.filter((r) => r.status === 200)).toHaveLength(24);
      const first = mine.find((r) => r.status === 201)!.body;
      for (const r of mine) expect(r.body).toEqual(first);
    }
    expect(results.filter((r) => r.status === 201).map((r) => r.body.pointsEarned)).toEqual([10, 10]);
    expect((await stack.http().get('/v1/points').set(m.auth).expect(200)).body.balance).toBe(20);
    const s = await invariantsHold(m.groupId);
    expect(s.entries).toBe(2);
    expect(await db.collection('point_lots').countDocuments({ groupId: m.groupId })).toBe(2);
  });

  it('50 simultaneous copies of one redemption debit exactly once', async () => {
    const m = await member(stack.http);
    await purchase(m.userId, { purchaseId: 'fund', amount: '500.00' }).expect(201);
    const results = (await Promise.all(
      Array.from({ length: 50 }, () =>
        stack.http().post('/v1/redemptions').set(m.auth).send({ redemptionId: 'one-spend', points: 120 }),
      ),
    )) as unknown as Res[];
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    expect((await stack.http().get('/v1/points').set(m.auth).expect(200)).body.balance).toBe(380);
    await invariantsHold(m.groupId);
  });

  it('mixed traffic on one group (purchases, redemptions, payer debits, replays) keeps every invariant', async () => {
    const m = await member(stack.http);
    const requests: Array<Promise<unknown>> = [];
    for (let i = 0; i < 40; i++) {
      requests.push(
        purchase(m.userId, {
          purchaseId: `p-${i % 30}`,
          amount: `${10 + (i % 30)}.00`,
          payer: i % 2 ? 'DANNON' : 'STORE',
        }).then(),
      );
      requests.push(
        stack
          .http()
          .post('/v1/redemptions')
          .set(m.auth)
          .send({ redemptionId: `r-${i}`, points: 17 })
          .then(),
      );
      if (i % 4 === 0) {
        requests.push(
          stack
            .http()
            .post(`/v1/admin/groups/${m.groupId}/transactions`)
            .set(boss.auth)
            .send({ transactionId: `t-${i}`, payer: 'DANNON', points: -9, reason: 'clawback' })
            .then(),
        );
      }
    }
    const results = (await Promise.all(requests)) as Res[];
    expect(results.every((r) => [200, 201, 422].includes(r.status))).toBe(true);
    const earned = 30 * 10 + (29 * 30) / 2; // 30 distinct purchases of 10..39 at rate 1
    const redeemed = results.filter((r) => r.status === 201 && 'redemptionId' in r.body).length * 17;
    const clawed = results.filter((r) => r.status === 201 && 'transactionId' in r.body).length * 9;
    const s = await invariantsHold(m.groupId);
    expect(s.balance).toBe(earned - redeemed - clawed);
  });
});
