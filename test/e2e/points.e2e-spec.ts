import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { EVENTS, RPC } from '@lib/contracts';
import { TestIsolation, waitFor } from '@lib/testing';
import { ServiceClient } from '../../apps/gateway/src/http/service-client';
import { expectLedgerInvariants } from '../support/loyalty/expect-ledger-invariants';
import { EventTap } from '../support/event-tap';
import { ADMIN_ENV, admin, apiClient, type ApiClientCaller, member } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Member = Awaited<ReturnType<typeof member>>;
type Admin = Awaited<ReturnType<typeof admin>>;
type Res = { status: number; headers: Record<string, string>; body: Record<string, any> };

/** Earn rate 1.5 in this file: floor(amount × 1.5) tells a rounding bug from a right answer. */
const EARN_RATE = '1.5';

describe('points ledger through the gateway (real loyalty, auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('points');
  let stack: PlatformStack;
  let http: PlatformStack['http'];
  let db: mongoose.Connection;
  let boss: Admin;
  /** The till that records every purchase in this file: purchases come from API clients, not members. */
  let till: ApiClientCaller;
  let audits: EventTap;
  let adjustments: EventTap;

  beforeAll(async () => {
    stack = await startPlatformStack(iso, {
      services: ['loyalty'],
      env: { loyalty: { LOYALTY_EARN_RATE: EARN_RATE } },
      authEnv: ADMIN_ENV,
    });
    http = stack.http;
    audits = await EventTap.open(iso, EVENTS.auditRecorded);
    adjustments = await EventTap.open(iso, EVENTS.pointsAdjusted);
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'loyalty') })
      .asPromise();
    boss = await admin(http);
    till = await apiClient(http, boss.auth, ['purchases:write']);
  });

  afterAll(async () => {
    await audits?.close();
    await adjustments?.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const problem = (res: Res, status: number, code: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };
  const id = (label: string) => `${label}-${randomUUID()}`;
  /** `POST /v1/purchases` as `by` (the till unless said), with exactly `body`. */
  const record = (body: Record<string, unknown>, by: { auth: Record<string, string> } = till) =>
    http().post('/v1/purchases').set(by.auth).send(body) as unknown as Promise<Res>;
  /** The till records a purchase of member `m` (fields in `body` win, userId included). */
  const purchase = (m: Pick<Member, 'userId'>, body: Record<string, unknown>, by = till) =>
    record({ userId: m.userId, ...body }, by);
  const redeem = (who: Member, body: Record<string, unknown>) =>
    http().post('/v1/redemptions').set(who.auth).send(body) as unknown as Promise<Res>;
  const transaction = (groupId: string, body: Record<string, unknown>, auth = boss.auth) =>
    http()
      .post(`/v1/admin/groups/${groupId}/transactions`)
      .set(auth)
      .send({ reason: 'test feed', ...body }) as unknown as Promise<Res>;
  /** The balance part of GET /v1/points (pending points, expiry and tiers: points-lifecycle.e2e-spec.ts). */
  const fullPoints = async (who: Member) => (await http().get('/v1/points').set(who.auth).expect(200)).body;
  const points = async (who: Member) => {
    const { groupId, balance, byPayer } = await fullPoints(who);
    return { groupId, balance, byPayer };
  };
  const invariantsHold = (groupId: string) => expectLedgerInvariants(db.db!, groupId);

  describe('POST /v1/purchases', () => {
    it("a till records a member's purchase: floor(amount × rate) to the member's group, 201 with the documented fields", async () => {
      const m = await member(http);
      const purchaseId = id('p');
      const res = await purchase(m, { purchaseId, amount: '12.50', storeId: 'store-7' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        purchaseId,
        groupId: m.groupId,
        userId: m.userId,
        clientId: till.clientId,
        amount: '12.50',
        currency: 'USD',
        payer: 'STORE',
        storeId: 'store-7',
        occurredAt: expect.any(String),
        pointsEarned: 18, // 12.50 × 1.5 = 18.75
        earnMultiplier: '1',
        status: 'AVAILABLE',
        availableAt: res.body.occurredAt,
        expiresAt: null,
        refundedAmount: '0.00',
        balance: 18,
        createdAt: expect.any(String),
      });
      // The member sees the points on their own token.
      expect(await points(m)).toEqual({ groupId: m.groupId, balance: 18, byPayer: { STORE: 18 } });
    });

    it('parses amounts as decimals: exact floors, currencies with 0 and 3 decimals, normalized amounts', async () => {
      const m = await member(http);
      const cases: Array<[Record<string, string>, string, number]> = [
        [{ amount: '0.67' }, '0.67', 1], // 1.005
        [{ amount: '9.99' }, '9.99', 14], // 14.985
        [{ amount: '10.1' }, '10.10', 15], // 15.15
        [{ amount: '1500', currency: 'JPY' }, '1500', 2250],
        [{ amount: '2.005', currency: 'BHD' }, '2.005', 3], // 3.0075
        [{ amount: '999999999.99' }, '999999999.99', 1499999999],
      ];
      let balance = 0;
      for (const [fields, normalized, earned] of cases) {
        const res = await purchase(m, { purchaseId: id('dec'), ...fields });
        balance += earned;
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ amount: normalized, pointsEarned: earned, balance });
      }
    });

    it('records a purchase too small to earn anything, without a ledger entry', async () => {
      const m = await member(http);
      const res = await purchase(m, { purchaseId: id('tiny'), amount: '0.50' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ pointsEarned: 0, balance: 0 });
      expect((await http().get('/v1/points/history').set(m.auth).expect(200)).body.items).toEqual([]);
      expect((await http().get('/v1/purchases').set(m.auth).expect(200)).body.items).toHaveLength(1);
    });

    it("a till's replay with the same body is 200 with the same body, and credits nothing more", async () => {
      const m = await member(http);
      const purchaseId = id('again');
      const body = { purchaseId, amount: '20.00', payer: 'DANNON', occurredAt: '2026-01-02T03:04:05Z' };
      const first = await purchase(m, body);
      expect(first.status).toBe(201);
      // Key order and an equivalent amount do not make it a different request.
      const replay = await record({
        occurredAt: '2026-01-02T03:04:05.000Z',
        payer: 'DANNON',
        amount: '20',
        userId: m.userId,
        purchaseId,
      });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      expect((await points(m)).balance).toBe(30);
    });

    it.each([
      [{ amount: '21.00' }],
      [{ payer: 'UNILEVER' }],
      [{ currency: 'EUR' }],
      [{ storeId: 'elsewhere' }],
      [{ occurredAt: '2026-01-01T00:00:00Z' }],
    ])('the same purchaseId with a different body (%j) is 409 IDEMPOTENCY_CONFLICT', async (change) => {
      const m = await member(http);
      const body = { purchaseId: id('conflict'), amount: '20.00' };
      expect((await purchase(m, body)).status).toBe(201);
      problem(await purchase(m, { ...body, ...change }), 409, 'IDEMPOTENCY_CONFLICT');
      expect((await points(m)).balance).toBe(30);
    });

    it('the same purchaseId from the same till for another member is 409 IDEMPOTENCY_CONFLICT: nobody else is credited', async () => {
      const [a, b] = [await member(http), await member(http)];
      const body = { purchaseId: id('whose'), amount: '10.00' };
      expect((await purchase(a, body)).status).toBe(201);
      problem(await purchase(b, body), 409, 'IDEMPOTENCY_CONFLICT');
      expect((await points(a)).balance).toBe(15);
      expect(await points(b)).toEqual({ groupId: b.groupId, balance: 0, byPayer: {} });
      expect((await http().get('/v1/purchases').set(b.auth).expect(200)).body.items).toEqual([]);
    });

    it("scopes purchaseIds to the till: another till may use the same id, and each member's group sees only its own", async () => {
      const [a, b] = [await member(http), await member(http)];
      const otherTill = await apiClient(http, boss.auth, ['purchases:write']);
      const purchaseId = id('shared');
      const first = await purchase(a, { purchaseId, amount: '10.00' });
      expect(first.status).toBe(201);
      const other = await purchase(b, { purchaseId, amount: '99.00' }, otherTill);
      expect(other.status).toBe(201);
      expect(other.body).toMatchObject({
        groupId: b.groupId,
        userId: b.userId,
        clientId: otherTill.clientId,
        pointsEarned: 148,
      });
      expect((await points(a)).balance).toBe(15);
      expect((await points(b)).balance).toBe(148);
      expect((await http().get('/v1/purchases').set(a.auth).expect(200)).body.items).toEqual([first.body]);
      expect((await http().get('/v1/purchases').set(b.auth).expect(200)).body.items).toEqual([other.body]);
    });

    it.each([
      [{ amount: 12.5 }, 'amount', /decimal string/],
      [{ amount: '-1.00' }, 'amount', /decimal string/],
      [{ amount: '12,50' }, 'amount', /decimal string/],
      [{ amount: '1e3' }, 'amount', /decimal string/],
      [{ amount: '012.50' }, 'amount', /decimal string/],
      [{ amount: ' 12.50' }, 'amount', /decimal string/],
      [{ amount: '0' }, 'amount', /greater than 0/],
      [{ amount: '0.00' }, 'amount', /greater than 0/],
      [{ amount: '1.234' }, 'amount', /at most 2 decimal places for USD/],
      [{ amount: '1.5', currency: 'JPY' }, 'amount', /at most 0 decimal places for JPY/],
      [{ amount: '1000000000' }, 'amount', /at most 999999999/],
      [{ amount: '9'.repeat(30) }, 'amount', /24|999999999/],
      [{ currency: 'usd' }, 'currency', /ISO-4217/],
      [{ currency: 'XYZ' }, 'currency', /ISO-4217/],
      [{ payer: 'dannon' }, 'payer', /A-Z/],
      [{ payer: 'DAN.NON' }, 'payer', /A-Z/],
      [{ payer: '' }, 'payer', /A-Z/],
      [{ payer: null }, 'payer', /A-Z|string/],
      [{ storeId: '' }, 'storeId', /storeId/],
      [{ occurredAt: 'yesterday' }, 'occurredAt', /ISO-8601/],
      [{ occurredAt: '2026-01-02T03:04:05' }, 'occurredAt', /UTC|offset/],
      [{ occurredAt: '2999-01-01T00:00:00Z' }, 'occurredAt', /future/],
      [{ purchaseId: '' }, 'purchaseId', /1-64/],
      [{ purchaseId: 'x'.repeat(65) }, 'purchaseId', /1-64/],
      [{ purchaseId: 'has space' }, 'purchaseId', /1-64/],
      [{ userId: 'not-a-uuid' }, 'userId', /UUID/],
      [{ userId: 42 }, 'userId', /UUID/],
      [{ points: 100 }, 'points', /not an allowed field/],
      [{ groupId: randomUUID() }, 'groupId', /not an allowed field/],
    ])(
      'rejects %j with 400 VALIDATION_FAILED naming the field, writing nothing',
      async (fields, field, rule) => {
        const m = await member(http);
        const res = await purchase(m, { purchaseId: id('bad'), amount: '10.00', ...fields });
        problem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual(
          expect.arrayContaining([{ field, message: expect.stringMatching(rule) }]),
        );
        expect(await points(m)).toEqual({ groupId: m.groupId, balance: 0, byPayer: {} });
      },
    );

    it('names every missing required field', async () => {
      const res = await record({});
      problem(res, 400, 'VALIDATION_FAILED');
      expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set(['purchaseId', 'userId', 'amount']),
      );
    });

    it('a member nobody knows is 422 UNKNOWN_MEMBER naming userId, and nothing is written', async () => {
      const userId = randomUUID();
      const purchaseId = id('ghost');
      const res = await record({ purchaseId, userId, amount: '10.00' });
      problem(res, 422, 'UNKNOWN_MEMBER');
      expect(res.body.errors).toEqual([{ field: 'userId', message: expect.any(String) }]);
      for (const [name, filter] of [
        ['ledger_requests', { businessId: purchaseId }],
        ['point_lots', { reference: purchaseId }],
        ['point_entries', { reference: purchaseId }],
      ] as const) {
        expect([name, await db.collection(name).countDocuments(filter)]).toEqual([name, 0]);
      }
    });

    // Issue 17: a member could record any purchase for themselves and mint points. Only tills
    // (API clients with purchases:write) record purchases now, at the gateway and in loyalty.
    it("the issue's attack: a member's own purchase of 999999999 DANNON in 1970 is 403 FORBIDDEN, and mints nothing", async () => {
      const m = await member(http);
      const attack = {
        purchaseId: id('mint'),
        userId: m.userId,
        amount: '999999999',
        payer: 'DANNON',
        occurredAt: '1970-01-01T00:00:00Z',
      };
      problem(await record(attack, m), 403, 'FORBIDDEN');
      // Access is checked before the body: without userId (a body a till would get 400 for) a
      // member still gets 403, and learns nothing about what a valid purchase looks like.
      problem(await record({ ...attack, userId: undefined }, m), 403, 'FORBIDDEN');
      // An admin is a person too, not a till.
      problem(await record(attack, boss), 403, 'FORBIDDEN');
      // Loyalty checks again whatever reaches it, bypassing the gateway.
      const services = stack.gateway.get(ServiceClient);
      await expect(
        services.call('loyalty', RPC.loyalty.createPurchase, { accessToken: m.accessToken, body: attack }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await points(m)).toEqual({ groupId: m.groupId, balance: 0, byPayer: {} });
      expect((await http().get('/v1/purchases').set(m.auth).expect(200)).body.items).toEqual([]);
      expect((await http().get('/v1/points/history').set(m.auth).expect(200)).body.items).toEqual([]);
    });

    it('a till without purchases:write is 403 FORBIDDEN, at the gateway and in loyalty', async () => {
      const m = await member(http);
      const reader = await apiClient(http, boss.auth, ['members:read']);
      const body = { purchaseId: id('no-scope'), amount: '10.00' };
      problem(await purchase(m, body, reader), 403, 'FORBIDDEN');
      await expect(
        stack.gateway.get(ServiceClient).call('loyalty', RPC.loyalty.createPurchase, {
          accessToken: reader.accessToken,
          body: { ...body, userId: m.userId },
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await points(m)).balance).toBe(0);
    });

    it('needs a valid token: 401 UNAUTHENTICATED without one or with a forged one', async () => {
      const body = { purchaseId: 'x', userId: randomUUID(), amount: '1.00' };
      problem(await http().post('/v1/purchases').send(body), 401, 'UNAUTHENTICATED');
      problem(await record(body, { auth: { Authorization: 'Bearer not.a.token' } }), 401, 'UNAUTHENTICATED');
    });
  });

  describe('GET /v1/purchases', () => {
    it("lists only the caller's group's purchases, newest first, in pages", async () => {
      const m = await member(http);
      const outsider = await member(http);
      await purchase(outsider, { purchaseId: 'not-mine', amount: '1.00' });
      const ids = ['a1', 'a2', 'a3', 'a4', 'a5'];
      for (const purchaseId of ids)
        expect((await purchase(m, { purchaseId, amount: '2.00' })).status).toBe(201);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Res = await http()
          .get('/v1/purchases')
          .query(cursor ? { limit: 2, cursor } : { limit: 2 })
          .set(m.auth);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((p: { purchaseId: string }) => p.purchaseId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
    });

    it.each([[{ limit: 0 }], [{ limit: 101 }], [{ limit: 'ten' }], [{ cursor: 'garbage!' }]])(
      'rejects the page query %j with 400',
      async (query) => {
        const m = await member(http);
        const res = (await http().get('/v1/purchases').query(query).set(m.auth)) as unknown as Res;
        problem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors[0].field).toBe(Object.keys(query)[0]);
      },
    );

    it('needs a token: 401', async () => {
      problem(await http().get('/v1/purchases'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('the published points-by-payer example', () => {
    it('spends 5000 as DANNON -100, UNILEVER -200, MILLER COORS -4700 and leaves 1000 / 0 / 5300', async () => {
      const m = await member(http);
      // Sent out of time order on purpose: spending follows the timestamps, not arrival.
      const feed = [
        {
          transactionId: 'miller-1',
          payer: 'MILLER COORS',
          points: 10000,
          timestamp: '2022-11-01T14:00:00Z',
        },
        { transactionId: 'dannon-1', payer: 'DANNON', points: 300, timestamp: '2022-10-31T10:00:00Z' },
        { transactionId: 'unilever-1', payer: 'UNILEVER', points: 200, timestamp: '2022-10-31T11:00:00Z' },
        { transactionId: 'dannon-2', payer: 'DANNON', points: -200, timestamp: '2022-10-31T15:00:00Z' },
        { transactionId: 'dannon-3', payer: 'DANNON', points: 1000, timestamp: '2022-11-02T14:00:00Z' },
      ];
      for (const tx of feed) expect((await transaction(m.groupId, tx)).status).toBe(201);
      expect(await points(m)).toEqual({
        groupId: m.groupId,
        balance: 11300,
        byPayer: { DANNON: 1100, UNILEVER: 200, 'MILLER COORS': 10000 },
      });

      const res = await redeem(m, { redemptionId: 'spend-5000', points: 5000 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        redemptionId: 'spend-5000',
        points: 5000,
        balance: 6300,
        spent: [
          { payer: 'DANNON', points: -100 },
          { payer: 'UNILEVER', points: -200 },
          { payer: 'MILLER COORS', points: -4700 },
        ],
        createdAt: expect.any(String),
      });
      expect(await points(m)).toEqual({
        groupId: m.groupId,
        balance: 6300,
        byPayer: { DANNON: 1000, UNILEVER: 0, 'MILLER COORS': 5300 },
      });
      await invariantsHold(m.groupId);
    });
  });

  describe('POST /v1/redemptions', () => {
    const funded = async (amount: string) => {
      const m = await member(http);
      expect((await purchase(m, { purchaseId: id('fund'), amount })).status).toBe(201);
      return m;
    };

    it('spends points: 201 {redemptionId, points, balance, spent}; a replay is 200 with the same body', async () => {
      const m = await funded('100.00'); // 150 points
      const first = await redeem(m, { redemptionId: 'r-1', points: 40 });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        redemptionId: 'r-1',
        points: 40,
        balance: 110,
        spent: [{ payer: 'STORE', points: -40 }],
      });
      const replay = await redeem(m, { points: 40, redemptionId: 'r-1' });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      expect((await points(m)).balance).toBe(110);
    });

    it('the same redemptionId with other points is 409 IDEMPOTENCY_CONFLICT and spends nothing', async () => {
      const m = await funded('100.00');
      expect((await redeem(m, { redemptionId: 'r-2', points: 10 })).status).toBe(201);
      problem(await redeem(m, { redemptionId: 'r-2', points: 11 }), 409, 'IDEMPOTENCY_CONFLICT');
      expect((await points(m)).balance).toBe(140);
    });

    it('too few points: 422 INSUFFICIENT_POINTS with available and requested, and nothing written', async () => {
      const m = await funded('10.00'); // 15 points
      const res = await redeem(m, { redemptionId: 'too-much', points: 16 });
      problem(res, 422, 'INSUFFICIENT_POINTS');
      expect(res.body).toMatchObject({ available: 15, requested: 16 });
      expect((await points(m)).balance).toBe(15);
      // A refused redemption is not remembered: once the points are there, the same id works.
      await purchase(m, { purchaseId: id('more'), amount: '1.00' });
      expect((await redeem(m, { redemptionId: 'too-much', points: 16 })).status).toBe(201);
      expect((await points(m)).balance).toBe(0);
      await invariantsHold(m.groupId);
    });

    it('a group with no points at all gets 422 with available 0', async () => {
      const m = await member(http);
      const res = await redeem(m, { redemptionId: 'none', points: 1 });
      problem(res, 422, 'INSUFFICIENT_POINTS');
      expect(res.body).toMatchObject({ available: 0, requested: 1 });
    });

    it.each([
      [{ points: 0 }, 'points'],
      [{ points: -5 }, 'points'],
      [{ points: 1.5 }, 'points'],
      [{ points: '10' }, 'points'],
      [{ points: 1_000_000_001 }, 'points'],
      [{ redemptionId: '' }, 'redemptionId'],
      [{ redemptionId: 7 }, 'redemptionId'],
      [{ payer: 'DANNON' }, 'payer'],
    ])('rejects %j with 400 VALIDATION_FAILED naming the field', async (fields, field) => {
      const m = await funded('10.00');
      const res = await redeem(m, { redemptionId: 'bad', points: 1, ...fields });
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect((await points(m)).balance).toBe(15);
    });

    it('needs a token: 401', async () => {
      problem(
        await http().post('/v1/redemptions').send({ redemptionId: 'x', points: 1 }),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  describe('GET /v1/points/history', () => {
    it('lists entries newest first with balanceAfter, one REDEEM entry per payer portion, in pages', async () => {
      const m = await member(http);
      await transaction(m.groupId, {
        transactionId: 't-a',
        payer: 'ACME',
        points: 30,
        timestamp: '2026-01-01T00:00:00Z',
      });
      await purchase(m, { purchaseId: 'h-1', amount: '20.00', occurredAt: '2026-01-02T00:00:00Z' }); // STORE 30
      await redeem(m, { redemptionId: 'h-r', points: 50 }); // ACME -30, STORE -20
      await transaction(m.groupId, { transactionId: 't-b', payer: 'STORE', points: -5 });

      const page1 = await http().get('/v1/points/history').query({ limit: 3 }).set(m.auth).expect(200);
      const page2 = await http()
        .get('/v1/points/history')
        .query({ limit: 3, cursor: page1.body.nextCursor })
        .set(m.auth)
        .expect(200);
      expect(page2.body.nextCursor).toBeNull();
      const items = [...page1.body.items, ...page2.body.items];
      expect(
        items.map(({ type, points: p, payer, reference, balanceAfter }) => ({
          type,
          points: p,
          payer,
          reference,
          balanceAfter,
        })),
      ).toEqual([
        { type: 'ADJUST', points: -5, payer: 'STORE', reference: 't-b', balanceAfter: 5 },
        { type: 'REDEEM', points: -20, payer: 'STORE', reference: 'h-r', balanceAfter: 10 },
        { type: 'REDEEM', points: -30, payer: 'ACME', reference: 'h-r', balanceAfter: 30 },
        { type: 'EARN', points: 30, payer: 'STORE', reference: 'h-1', balanceAfter: 60 },
        { type: 'ADJUST', points: 30, payer: 'ACME', reference: 't-a', balanceAfter: 30 },
      ]);
      for (const item of items) {
        expect(item.entryId).toMatch(/^[0-9a-f-]{36}$/);
        expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);
      }
      await invariantsHold(m.groupId);
    });

    it('starts empty and answers a bad cursor with 400 naming cursor', async () => {
      const m = await member(http);
      expect((await http().get('/v1/points/history').set(m.auth).expect(200)).body).toEqual({
        items: [],
        nextCursor: null,
        total: 0,
      });
      const res = (await http()
        .get('/v1/points/history')
        .query({ cursor: Buffer.from('{"seq":"x"}').toString('base64url') })
        .set(m.auth)) as unknown as Res;
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    });

    it('needs a token: 401 on /v1/points and /v1/points/history', async () => {
      problem(await http().get('/v1/points'), 401, 'UNAUTHENTICATED');
      problem(await http().get('/v1/points/history'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('admin payer transactions: POST /v1/admin/groups/{groupId}/transactions', () => {
    it('credits a payer: 201, audited and announced through the outbox (audit.recorded + loyalty.points.adjusted)', async () => {
      const m = await member(http);
      await audits.drain();
      await adjustments.drain();
      const res = await transaction(m.groupId, {
        transactionId: 'adj-1',
        payer: 'DANNON',
        points: 250,
        timestamp: '2026-03-01T10:00:00Z',
        reason: 'goodwill',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        transactionId: 'adj-1',
        groupId: m.groupId,
        payer: 'DANNON',
        points: 250,
        timestamp: '2026-03-01T10:00:00.000Z',
        balance: 250,
        reason: 'goodwill',
        createdAt: expect.any(String),
      });

      let audit: Array<{ payload: Record<string, unknown> }> = [];
      let adjusted: Array<{ payload: Record<string, unknown> }> = [];
      await waitFor('both events to be published', async () => {
        audit = [...audit, ...(await audits.drain())];
        adjusted = [...adjusted, ...(await adjustments.drain())];
        return audit.length >= 1 && adjusted.length >= 1;
      });
      expect(audit).toHaveLength(1);
      expect(audit[0].payload).toMatchObject({
        actorId: boss.userId,
        action: 'points.adjust',
        target: `group:${m.groupId}`,
        details: { transactionId: 'adj-1', payer: 'DANNON', points: 250, reason: 'goodwill' },
      });
      expect(adjusted).toHaveLength(1);
      expect(adjusted[0].payload).toMatchObject({
        groupId: m.groupId,
        transactionId: 'adj-1',
        payer: 'DANNON',
        points: 250,
        balance: 250,
        reason: 'goodwill',
      });

      // A replay changes nothing and announces nothing.
      const replay = await transaction(m.groupId, {
        transactionId: 'adj-1',
        payer: 'DANNON',
        points: 250,
        timestamp: '2026-03-01T10:00:00.000Z',
        reason: 'goodwill',
      });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(res.body);
      expect((await points(m)).balance).toBe(250);
      const outbox = await db.collection('outbox').countDocuments({ 'payload.transactionId': 'adj-1' });
      expect(outbox).toBe(1);
      expect(await db.collection('outbox').countDocuments({ 'payload.details.transactionId': 'adj-1' })).toBe(
        1,
      );
    });

    it("a negative amount takes that payer's oldest points; below 0 is 422 INSUFFICIENT_PAYER_POINTS", async () => {
      const m = await member(http);
      await transaction(m.groupId, {
        transactionId: 'd-new',
        payer: 'DANNON',
        points: 100,
        timestamp: '2026-02-01T00:00:00Z',
      });
      await transaction(m.groupId, {
        transactionId: 'd-old',
        payer: 'DANNON',
        points: 50,
        timestamp: '2026-01-01T00:00:00Z',
      });
      await transaction(m.groupId, { transactionId: 'u-1', payer: 'UNILEVER', points: 500 });

      const refused = await transaction(m.groupId, { transactionId: 'd-neg', payer: 'DANNON', points: -151 });
      problem(refused, 422, 'INSUFFICIENT_PAYER_POINTS');
      expect(refused.body).toMatchObject({ payer: 'DANNON', available: 150, requested: 151 });
      problem(
        await transaction(m.groupId, { transactionId: 'nobody', payer: 'NOBODY', points: -1 }),
        422,
        'INSUFFICIENT_PAYER_POINTS',
      );

      const ok = await transaction(m.groupId, { transactionId: 'd-neg', payer: 'DANNON', points: -70 });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ points: -70, balance: 580 });
      const lots = await db
        .collection('point_lots')
        .find({ groupId: m.groupId, payer: 'DANNON' })
        .sort({ timestamp: 1 })
        .toArray();
      // The January lot (older, though it arrived second) went first.
      expect(lots.map((l) => l.remaining)).toEqual([0, 80]);
      expect(await points(m)).toEqual({
        groupId: m.groupId,
        balance: 580,
        byPayer: { DANNON: 80, UNILEVER: 500 },
      });
      await invariantsHold(m.groupId);
    });

    it('the same transactionId with a different body is 409 IDEMPOTENCY_CONFLICT', async () => {
      const m = await member(http);
      expect((await transaction(m.groupId, { transactionId: 'dup', payer: 'ACME', points: 10 })).status).toBe(
        201,
      );
      problem(
        await transaction(m.groupId, { transactionId: 'dup', payer: 'ACME', points: 10, reason: 'other' }),
        409,
        'IDEMPOTENCY_CONFLICT',
      );
      expect((await points(m)).balance).toBe(10);
    });

    it.each([
      [{ points: 0 }, 'points'],
      [{ points: 1.5 }, 'points'],
      [{ points: -1_000_000_001 }, 'points'],
      [{ payer: 'acme' }, 'payer'],
      [{ reason: '' }, 'reason'],
      [{ reason: 'r'.repeat(501) }, 'reason'],
      [{ timestamp: 'soon' }, 'timestamp'],
      [{ timestamp: '2999-01-01T00:00:00Z' }, 'timestamp'],
      [{ transactionId: '' }, 'transactionId'],
      [{ extra: 1 }, 'extra'],
    ])('rejects %j with 400 VALIDATION_FAILED naming the field', async (fields, field) => {
      const m = await member(http);
      const res = await transaction(m.groupId, { transactionId: 'v', payer: 'ACME', points: 5, ...fields });
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('a group that does not exist is 404 NOT_FOUND: no ledger is opened, nothing is audited or announced', async () => {
      const groupId = randomUUID();
      for (const points of [25, -5]) {
        problem(
          await transaction(groupId, { transactionId: `ghost-${points}`, payer: 'ACME', points }),
          404,
          'NOT_FOUND',
        );
      }
      for (const name of ['point_accounts', 'point_lots', 'point_entries', 'ledger_requests']) {
        const written = await db
          .collection(name)
          .countDocuments({ $or: [{ _id: groupId as never }, { groupId }] });
        expect([name, written]).toEqual([name, 0]);
      }
      expect(
        await db.collection('outbox').countDocuments({
          $or: [{ 'payload.groupId': groupId }, { 'payload.target': `group:${groupId}` }],
        }),
      ).toBe(0);
      // A member's group is one auth knows: the same call is fine there.
      const m = await member(http);
      expect(
        (await transaction(m.groupId, { transactionId: 'ghost-25', payer: 'ACME', points: 25 })).status,
      ).toBe(201);
    });

    it('rejects a groupId that is not a UUID with 400 naming groupId', async () => {
      const res = await transaction('not-a-uuid', { transactionId: 'g', payer: 'ACME', points: 5 });
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('groupId');
    });

    it('needs the admin role: 401 without a token, 403 FORBIDDEN with a member token (own group too)', async () => {
      const m = await member(http);
      const body = { transactionId: 'mine', payer: 'ACME', points: 1_000_000, reason: 'self-service' };
      problem(
        await http().post(`/v1/admin/groups/${m.groupId}/transactions`).send(body),
        401,
        'UNAUTHENTICATED',
      );
      problem(await transaction(m.groupId, body, m.auth), 403, 'FORBIDDEN');
      expect((await points(m)).balance).toBe(0);
    });

    it('the loyalty service re-checks the role itself, whatever reaches it', async () => {
      const m = await member(http);
      const services = stack.gateway.get(ServiceClient);
      await expect(
        services.call('loyalty', RPC.loyalty.createPayerTransaction, {
          accessToken: m.accessToken,
          params: { groupId: m.groupId },
          body: { transactionId: 'sneak', payer: 'ACME', points: 100, reason: 'bypass the gateway' },
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(
        services.call('loyalty', RPC.loyalty.adminGroupPoints, { params: { groupId: m.groupId } }),
      ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect((await points(m)).balance).toBe(0);
    });
  });

  describe('admin views: GET /v1/admin/groups/{groupId}/points and /points/history', () => {
    it("show any group's points and history, the same shapes members get", async () => {
      const m = await member(http);
      await purchase(m, { purchaseId: 'view-1', amount: '10.00' });
      await transaction(m.groupId, { transactionId: 'view-t', payer: 'ACME', points: 7 });
      const mine = await fullPoints(m);
      const seen = await http().get(`/v1/admin/groups/${m.groupId}/points`).set(boss.auth).expect(200);
      expect(seen.body).toEqual(mine);
      expect(seen.body).toMatchObject({
        groupId: m.groupId,
        balance: 22,
        pending: 0,
        byPayer: { STORE: 15, ACME: 7 },
      });
      const memberHistory = await http().get('/v1/points/history').set(m.auth).expect(200);
      const adminHistory = await http()
        .get(`/v1/admin/groups/${m.groupId}/points/history`)
        .set(boss.auth)
        .expect(200);
      expect(adminHistory.body).toEqual(memberHistory.body);
      expect(adminHistory.body.items).toHaveLength(2);
      const paged = await http()
        .get(`/v1/admin/groups/${m.groupId}/points/history`)
        .query({ limit: 1 })
        .set(boss.auth)
        .expect(200);
      expect(paged.body.items).toEqual([adminHistory.body.items[0]]);
      expect(paged.body.nextCursor).toEqual(expect.any(String));
    });

    it('a group with no ledger yet has 0 points and no history', async () => {
      const { groupId } = await member(http);
      expect(
        (await http().get(`/v1/admin/groups/${groupId}/points`).set(boss.auth).expect(200)).body,
      ).toEqual({
        groupId,
        balance: 0,
        pending: 0,
        byPayer: {},
        expiringSoon: [],
        tier: {
          name: 'Standard',
          earnMultiplier: '1',
          qualifyingPoints: 0,
          nextTier: null,
          pointsToNextTier: null,
        },
      });
      expect(
        (await http().get(`/v1/admin/groups/${groupId}/points/history`).set(boss.auth).expect(200)).body,
      ).toEqual({ items: [], nextCursor: null, total: 0 });
    });

    it.each(['points', 'points/history'])(
      '/%s of a group that does not exist is 404 NOT_FOUND, not an empty ledger',
      async (path) => {
        const res = (await http()
          .get(`/v1/admin/groups/${randomUUID()}/${path}`)
          .set(boss.auth)) as unknown as Res;
        problem(res, 404, 'NOT_FOUND');
      },
    );

    it.each(['points', 'points/history'])(
      '/%s needs the admin role: 401, 403, and 400 for a bad groupId',
      async (path) => {
        const m = await member(http);
        problem(await http().get(`/v1/admin/groups/${m.groupId}/${path}`), 401, 'UNAUTHENTICATED');
        problem(await http().get(`/v1/admin/groups/${m.groupId}/${path}`).set(m.auth), 403, 'FORBIDDEN');
        const bad = (await http().get(`/v1/admin/groups/nope/${path}`).set(boss.auth)) as unknown as Res;
        problem(bad, 400, 'VALIDATION_FAILED');
      },
    );

    it('an unknown points route is 404 problem+json', async () => {
      const m = await member(http);
      problem(await http().get('/v1/points/everything').set(m.auth), 404, 'NOT_FOUND');
    });
  });

  describe('RPC loyalty.pointsByDay (admin stats)', () => {
    const byDay = (accessToken: string, days: unknown) =>
      stack.gateway
        .get(ServiceClient)
        .call<Array<{ date: string; earned: number; redeemed: number }>>('loyalty', RPC.loyalty.pointsByDay, {
          accessToken,
          body: { days },
        });

    it('answers one row per UTC day, oldest first, counting credits and redemptions of today', async () => {
      const before = await byDay(boss.accessToken, 3);
      const today = new Date().toISOString().slice(0, 10);
      expect(before).toHaveLength(3);
      expect(before[2].date).toBe(today);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      expect(before[1]).toMatchObject({ date: yesterday, earned: 0, redeemed: 0 });

      const m = await member(http);
      await purchase(m, { purchaseId: 'day-1', amount: '100.00' }); // +150
      await transaction(m.groupId, { transactionId: 'day-t1', payer: 'ACME', points: 40 }); // +40
      await transaction(m.groupId, { transactionId: 'day-t2', payer: 'ACME', points: -10 }); // not counted
      await redeem(m, { redemptionId: 'day-r', points: 100 }); // 100 redeemed
      const after = await byDay(boss.accessToken, 3);
      if (after[2].date !== today) return; // midnight passed mid-test: the rows moved on
      expect(after[2].earned - before[2].earned).toBe(190);
      expect(after[2].redeemed - before[2].redeemed).toBe(100);
      expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
      expect((await byDay(boss.accessToken, 90)).length).toBe(90);
    });

    it('is admin-only and checks days is 1-90', async () => {
      const m = await member(http);
      await expect(byDay(m.accessToken, 7)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      for (const days of [0, 91, 1.5, '7', undefined]) {
        await expect(byDay(boss.accessToken, days)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      }
    });
  });
});
